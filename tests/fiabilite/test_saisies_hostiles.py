"""Des saisies hostiles ou absurdes (hypothesis) sur les formulaires principaux et l'import
d'activité : jamais de 500, rien d'écrit à moitié quand c'est refusé, toujours un message en
français, et un `<script>` saisi n'est jamais rendu tel quel."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accompagnement.models import Inscription
from activite.models import Action, Beneficiaire, ListeAttente, Participation
from comptes.models import Invitation
from structures.models import Structure
from tests.activite.factories import ThemeFactory
from tests.candidatures.factories import (
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
    siret_valide,
)
from tests.factories import UtilisateurFactory

REGLAGES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SCRIPT = "<script>alert('relais')</script>"
# Des textes qui cherchent les ennuis : balises, formules, NUL, très longs, chiffres en vrac.
TEXTES = st.one_of(
    st.text(max_size=300),
    st.sampled_from([SCRIPT, "=1+1", "\x00", "'; DROP TABLE x; --", "9" * 5000, " ", ""]),
    st.from_regex(r"[0-9 .]{0,20}", fullmatch=True),
)
# Les messages anglais par défaut de Django : leur présence dirait qu'une traduction manque.
ANGLAIS = ("This field", "Enter a valid", "Ensure this value", "Select a valid", "is required")


def _refus_en_francais(reponse):
    assert reponse.status_code in (200, 400), reponse.status_code
    texte = reponse.content.decode()
    assert 'lang="fr"' in texte
    erreurs = " ".join(str(e) for e in reponse.context["form"].errors.values())
    assert erreurs
    assert not any(mot in erreurs for mot in ANGLAIS), erreurs


def _ligne(objet):
    return {c.attname: getattr(objet, c.attname) for c in objet._meta.concrete_fields}


@pytest.fixture
def candidat():
    return UtilisateurFactory(candidat=True)


@pytest.fixture
def structure(candidat):
    # Lauréate : l'activité ne se saisit qu'une fois la structure retenue à un appel.
    structure = StructureFactory(nom="CCAS de Houplines", membres=[candidat])
    CandidatureFactory(structure=structure, retenue=True)
    return structure


def _profil(**champs):
    return {
        "nom": "CCAS de Houplines",
        "type": "ccas",
        "siret": siret_valide(42),
        "commune": "Houplines",
        "commune_code": "59317",
        "adresse": "1 rue de la Mairie",
        "code_postal": "59116",
        "contact_nom": "Dominique Exemple",
        "contact_email": "contact@structure.test",
        "contact_telephone": "03 20 00 00 00",
        **champs,
    }


@pytest.mark.django_db
@REGLAGES
@given(nom=TEXTES, siret=TEXTES, code_postal=TEXTES, telephone=TEXTES)
def test_profil_de_structure(client, candidat, structure, nom, siret, code_postal, telephone):
    client.force_login(candidat)
    avant = _ligne(Structure.objects.get(pk=structure.pk))

    reponse = client.post(
        f"/structures/{structure.pk}/modifier/",
        _profil(nom=nom, siret=siret, code_postal=code_postal, contact_telephone=telephone),
    )

    if reponse.status_code == 302:
        apres = Structure.objects.get(pk=structure.pk)
        assert apres.siret.isdigit() and len(apres.siret) == 14
        assert "\x00" not in apres.nom
    else:
        _refus_en_francais(reponse)
        assert _ligne(Structure.objects.get(pk=structure.pk)) == avant


@pytest.mark.django_db
def test_un_nom_de_structure_en_script_est_rendu_echappe(client, candidat, structure):
    client.force_login(candidat)

    enregistre = client.post(f"/structures/{structure.pk}/modifier/", _profil(nom=SCRIPT))
    page = client.get(f"/structures/{structure.pk}/")

    assert enregistre.status_code == 302
    assert Structure.objects.get(pk=structure.pk).nom == SCRIPT
    assert "&lt;script&gt;alert(" in page.content.decode()
    assert SCRIPT not in page.content.decode()


@pytest.mark.django_db
@REGLAGES
@given(texte=TEXTES, oui_non=TEXTES, nombre=TEXTES)
def test_reponses_a_une_candidature(client, candidat, structure, texte, oui_non, nombre):
    candidature = CandidatureFactory(structure=structure)
    q_texte, q_oui_non, q_nombre = candidature.appel.questions.order_by("ordre")
    client.force_login(candidat)

    reponse = client.post(
        f"/candidatures/{candidature.pk}/formulaire/",
        {
            f"q_{q_texte.pk}": texte,
            f"q_{q_oui_non.pk}": oui_non,
            f"q_{q_nombre.pk}": nombre,
            "action": "enregistrer",
        },
    )

    candidature = type(candidature).objects.get(pk=candidature.pk)
    assert candidature.etat == "brouillon"
    if reponse.status_code != 302:
        # Voulu : les réponses valables d'un brouillon sont gardées, les autres jamais.
        _refus_en_francais(reponse)
        refusees = {nom.removeprefix("q_") for nom in reponse.context["form"].errors}
        assert refusees.isdisjoint(candidature.reponses or {})


@pytest.mark.django_db
def test_une_reponse_en_script_est_rendue_echappee(client, candidat, structure):
    candidature = CandidatureFactory(structure=structure)
    q_texte = candidature.appel.questions.order_by("ordre").first()
    client.force_login(candidat)

    client.post(
        f"/candidatures/{candidature.pk}/formulaire/",
        {f"q_{q_texte.pk}": SCRIPT, "action": "enregistrer"},
    )
    page = client.get(f"/candidatures/{candidature.pk}/formulaire/").content.decode()

    assert "&lt;script&gt;alert(" in page
    assert SCRIPT not in page


@pytest.mark.django_db
@REGLAGES
@given(email=TEXTES, role=st.one_of(TEXTES, st.sampled_from(["coach", "membre_jury"])))
def test_invitation(client, email, role):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    client.force_login(gestionnaire)
    avant = Invitation.objects.count()

    reponse = client.post(
        "/gestion/invitations/", {"email": email, "role": role, "programme": programme.pk}
    )

    if reponse.status_code == 302:
        assert Invitation.objects.count() == avant + 1
    else:
        _refus_en_francais(reponse)
        assert Invitation.objects.count() == avant


@pytest.mark.django_db
@REGLAGES
@given(champs=st.dictionaries(st.sampled_from(["resume_quotidien", "type_x", "csrf"]), TEXTES))
def test_preferences_de_relance(client, candidat, champs):
    client.force_login(candidat)

    reponse = client.post("/compte/relances/", champs)

    assert reponse.status_code in (200, 302, 400)


@pytest.mark.django_db
@REGLAGES
@given(
    type_action=st.one_of(TEXTES, st.sampled_from(["atelier", "permanence", "parcours_tablette"])),
    date_debut=st.one_of(TEXTES, st.dates().map(str)),
    date_fin=st.one_of(TEXTES, st.dates().map(str)),
    duree=st.one_of(TEXTES, st.decimals(allow_nan=True).map(str)),
    codes=TEXTES,
)
# Une saisie valide, trouvée par hypothesis : elle doit être enregistrée, pas renvoyée muette.
@example(type_action="atelier", date_debut="2000-01-01", date_fin="", duree="1", codes="")
def test_saisie_d_une_action(
    client, candidat, structure, type_action, date_debut, date_fin, duree, codes
):
    theme = ThemeFactory()
    client.force_login(candidat)
    avant = (Action.objects.count(), Beneficiaire.objects.count(), Participation.objects.count())

    reponse = client.post(
        f"/activite/structures/{structure.pk}/actions/nouvelle/",
        {
            "type": type_action,
            "theme": theme.pk,
            "date_debut": date_debut,
            "date_fin": date_fin,
            "duree_heures": duree,
            "codes": codes,
            # Le formulaire de gestion des nouveaux participants, que la page envoie toujours.
            "nouveaux-TOTAL_FORMS": "0",
            "nouveaux-INITIAL_FORMS": "0",
        },
    )

    if reponse.status_code != 302:
        _refus_en_francais(reponse)
        apres = (
            Action.objects.count(),
            Beneficiaire.objects.count(),
            Participation.objects.count(),
        )
        assert apres == avant


def _comptes():
    return (
        Action.objects.count(),
        Beneficiaire.objects.count(),
        Participation.objects.count(),
        ListeAttente.objects.count(),
        Inscription.objects.count(),
    )


EN_TETES = [b"code;genre;annee_naissance;commune\n", b"ref;type;date_debut\n", b""]


@pytest.mark.django_db
@REGLAGES
@given(
    debut=st.sampled_from(EN_TETES),
    contenu=st.binary(max_size=2000),
    nom=st.sampled_from(["beneficiaires.csv", "actions.csv", "participations.csv", "x.csv"]),
)
def test_import_d_octets_au_hasard(client, candidat, structure, debut, contenu, nom):
    client.force_login(candidat)
    avant = _comptes()

    reponse = client.post(
        f"/activite/structures/{structure.pk}/importer/",
        {"fichiers": SimpleUploadedFile(nom, debut + contenu, content_type="text/csv")},
    )

    assert reponse.status_code in (200, 400)
    if reponse.status_code == 400:
        assert _comptes() == avant
        texte = reponse.content.decode()
        assert 'lang="fr"' in texte
        assert not any(mot in texte for mot in ANGLAIS)


@pytest.mark.django_db
def test_import_en_utf8_invalide_dit_pourquoi_en_francais(client, candidat, structure):
    client.force_login(candidat)

    reponse = client.post(
        f"/activite/structures/{structure.pk}/importer/",
        {
            "fichiers": SimpleUploadedFile(
                "beneficiaires.csv", b"code;genre\n\xff\xfe\xc3(B1;F\n", content_type="text/csv"
            )
        },
    )

    assert reponse.status_code == 400
    assert _comptes() == (0, 0, 0, 0, 0)
    assert reponse.context["erreur_lecture"] or reponse.context["rapport"].erreurs
