import pytest

from territoires.forms import EligibiliteForm
from territoires.models import Commune
from territoires.normalisation import forme_de_recherche
from territoires.selectors import rechercher_communes

pytestmark = pytest.mark.django_db


def noms(communes):
    return [(commune.nom, commune.code_insee) for commune in communes]


@pytest.mark.parametrize(
    "nom, forme",
    [
        ("Faches-Thumesnil", "faches thumesnil"),
        ("Marcq-en-Barœul", "marcq en baroeul"),
        ("L'Abergement-Clémenciat", "l abergement clemenciat"),
        ("  ÉPINAY-sur-Seine ", "epinay sur seine"),
    ],
)
def test_la_forme_de_recherche_ignore_accents_tirets_apostrophes_et_majuscules(nom, forme):
    assert forme_de_recherche(nom) == forme


@pytest.mark.parametrize(
    "saisie", ["faches thumesnil", "Faches-Thumesnil", "FACHES", "fachès thumes"]
)
def test_faches_thumesnil_se_trouve_sans_accents_ni_tirets(saisie):
    assert noms(rechercher_communes(saisie))[0] == ("Faches-Thumesnil", "59220")


def test_houpl_propose_houplines_puis_houplin_ancoisne():
    assert noms(rechercher_communes("houpl")) == [
        ("Houplines", "59317"),
        ("Houplin-Ancoisne", "59316"),
    ]


def test_le_nom_exact_passe_avant_les_noms_plus_longs_puis_la_plus_peuplee():
    assert noms(rechercher_communes("lille", limite=3)) == [
        ("Lille", "59350"),
        ("Lillers", "62516"),
        ("Lillebonne", "76384"),
    ]


def test_un_mot_du_nom_suffit_la_plus_peuplee_d_abord():
    assert noms(rechercher_communes("baroeul", limite=2)) == [
        ("Marcq-en-Barœul", "59378"),
        ("Mons-en-Barœul", "59410"),
    ]


def test_st_est_developpe_en_saint():
    assert noms(rechercher_communes("st amand les eaux")) == [("Saint-Amand-les-Eaux", "59526")]


def test_un_debut_de_code_insee_cherche_par_code():
    assert noms(rechercher_communes("5931", limite=3)) == [
        ("Hon-Hergies", "59310"),
        ("Honnechy", "59311"),
        ("Honnecourt-sur-Escaut", "59312"),
    ]


@pytest.mark.parametrize("saisie", ["", "h", " - "])
def test_une_saisie_trop_courte_ne_propose_rien(saisie):
    assert rechercher_communes(saisie) == []


def test_le_champ_commune_accepte_le_code_choisi_dans_la_liste():
    form = EligibiliteForm({"commune": "Houplines (59)", "commune_code": "59317"})
    assert form.is_valid()
    assert form.cleaned_data["commune"].code_insee == "59317"


@pytest.mark.parametrize(
    "saisie, code", [("houplines", "59317"), ("Lille (59)", "59350"), ("faches thumesnil", "59220")]
)
def test_le_champ_commune_accepte_un_nom_sans_ambiguite(saisie, code):
    form = EligibiliteForm({"commune": saisie, "commune_code": ""})
    assert form.is_valid()
    assert form.cleaned_data["commune"].code_insee == code


def test_le_champ_commune_propose_les_homonymes():
    form = EligibiliteForm({"commune": "Saint-Martin", "commune_code": ""})
    assert not form.is_valid()
    assert form.errors["commune"] == [
        "Plusieurs communes correspondent à « Saint-Martin » : choisissez la vôtre."
    ]
    propositions = form.fields["commune"].propositions
    assert len(propositions) > 1
    assert {commune.nom for commune in propositions} == {"Saint-Martin"}


def test_le_champ_commune_signale_une_commune_introuvable():
    form = EligibiliteForm({"commune": "Zzzville", "commune_code": ""})
    assert form.errors["commune"] == ["Aucune commune ne correspond à « Zzzville »."]


def test_le_champ_commune_refuse_un_code_inconnu():
    form = EligibiliteForm({"commune": "X", "commune_code": "99999"})
    assert form.errors["commune"] == [
        "Code INSEE inconnu : « 99999 » n'est ni une commune en vigueur, "
        "ni un arrondissement municipal, ni une ancienne commune connue."
    ]


def test_le_champ_commune_s_affiche_depuis_une_commune_enregistree():
    houplines = Commune.objects.get(code_insee="59317")
    form = EligibiliteForm(initial={"commune": houplines.pk})
    html = str(form["commune"])
    assert 'value="Houplines (59)"' in html
    assert '<input type="hidden" name="commune_code" value="59317" id="id_commune_code">' in html
    inchange = EligibiliteForm(
        {"commune": "Houplines (59)", "commune_code": "59317"}, initial={"commune": houplines.pk}
    )
    assert inchange.has_changed() is False
