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


# --- Communes associées, déléguées, arrondissements ; une faute de frappe -------------------


def rattachements(communes):
    return [
        (
            commune.rattachement.nom if commune.rattachement else None,
            commune.rattachement.get_type_display() if commune.rattachement else None,
            commune.nom,
            commune.code_insee,
        )
        for commune in communes
    ]


@pytest.mark.parametrize(
    "saisie, attendu",
    [
        ("lomme", ("Lomme", "commune associée", "Lille", "59350")),
        ("Hellemmes", ("Hellemmes-Lille", "commune associée", "Lille", "59350")),
        ("bermeries", ("Bermeries", "commune déléguée", "L'Orée de Mormal", "59006")),
        (
            "marseille 1er",
            ("Marseille 1er Arrondissement", "arrondissement municipal", "Marseille", "13055"),
        ),
    ],
)
def test_une_commune_rattachee_se_trouve_et_mene_a_sa_commune(saisie, attendu):
    assert rattachements(rechercher_communes(saisie))[0] == attendu


def test_une_commune_deleguee_du_meme_nom_que_sa_commune_n_est_pas_proposee_deux_fois():
    # Ghyvelde (59260) est aussi le nom d'une commune déléguée de Ghyvelde.
    assert rattachements(rechercher_communes("ghyvelde")) == [(None, None, "Ghyvelde", "59260")]


@pytest.mark.parametrize(
    "saisie", ["haubourdain", "haubordin", "haubourdon", "jaubourdin", "haubourdn", "haubourdzn"]
)
def test_une_faute_de_frappe_propose_quand_meme_la_commune(saisie):
    communes = rechercher_communes(saisie)
    assert noms(communes)[0] == ("Haubourdin", "59286")
    assert communes[0].approchee is True


def test_une_saisie_juste_n_est_pas_noyee_dans_les_noms_approches():
    communes = rechercher_communes("houplines")
    assert noms(communes) == [("Houplines", "59317")]
    assert communes[0].approchee is False


def test_le_champ_commune_garde_la_commune_rattachee_saisie():
    form = EligibiliteForm({"commune": "Lomme (59)", "commune_code": "59355"})
    assert form.is_valid(), form.errors
    commune = form.cleaned_data["commune"]
    assert (commune.code_insee, commune.rattachement.nom) == ("59350", "Lomme")


def test_le_champ_commune_propose_les_noms_proches_sans_choisir_a_la_place():
    form = EligibiliteForm({"commune": "Haubourdain", "commune_code": ""})
    assert form.errors["commune"] == [
        "Aucune commune ne s'appelle « Haubourdain » : choisissez parmi les noms proches."
    ]
    assert noms(form.fields["commune"].propositions) == [
        ("Haubourdin", "59286"),
        ("Hallennes-lez-Haubourdin", "59278"),
    ]
