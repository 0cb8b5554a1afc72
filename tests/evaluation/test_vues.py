"""Les pages du jury et du back office : droits (404), cécité, refus lisibles, requêtes."""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from evaluation import services
from evaluation.models import Affectation, ConflitInterets, Evaluation
from noyau.rendu_pdf import un_rendu_a_la_fois
from programmes.models import Appel
from tests.candidatures.factories import (
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.evaluation.factories import (
    AffectationFactory,
    ConflitFactory,
    JuryFactory,
    MembreJuryFactory,
    donnees_de_la_grille,
    membre_note,
    membre_sans_conflit,
    seance_au_quorum,
)
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_membre_en_conflit_recoit_404_sur_la_candidature_et_ses_notes(client, jury, candidature):
    membre_note(jury, candidature, [4, 5])
    affectation = AffectationFactory(membre__jury=jury, candidature=candidature)
    ConflitFactory(membre=affectation.membre, candidature=candidature)
    client.force_login(affectation.membre.utilisateur)

    for nom in ("jury_candidature", "jury_declarer"):
        methode = client.get if nom == "jury_candidature" else client.post
        assert methode(reverse(f"evaluation:{nom}", args=[candidature.pk])).status_code == 404
    # Des notes envoyées quand même : un refus clair, sur son espace, sans la candidature.
    refus = client.post(reverse("evaluation:jury_noter", args=[candidature.pk]))
    assert refus.status_code == 409
    assert "Vous avez déclaré un conflit d&#x27;intérêts avec CCAS de Houplines" in (
        refus.content.decode()
    )
    assert "Mes notes" not in refus.content.decode()
    page = client.get(reverse("evaluation:jury_accueil"))
    assert "Récusé (conflit déclaré)" in page.content.decode()
    assert (
        reverse("evaluation:jury_candidature", args=[candidature.pk]) not in page.content.decode()
    )


def test_membre_ne_voit_que_les_candidatures_confiees(client, jury, candidature):
    autre = CandidatureFactory(appel=jury.appel, recevable=True)
    membre = membre_sans_conflit(jury, candidature)
    client.force_login(membre.utilisateur)

    assert client.get(reverse("evaluation:jury_candidature", args=[autre.pk])).status_code == 404
    assert (
        client.get(reverse("evaluation:jury_candidature", args=[candidature.pk])).status_code == 200
    )


def test_declaration_avant_lecture_puis_notes_et_cecite(client, jury, candidature):
    membre_note(jury, candidature, [5, 10], commentaire="Projet solide")
    affectation = AffectationFactory(membre__jury=jury, candidature=candidature)
    client.force_login(affectation.membre.utilisateur)
    url = reverse("evaluation:jury_candidature", args=[candidature.pk])

    page = client.get(url).content.decode()
    assert "Enregistrer ma déclaration" in page and "Mes notes" not in page

    reponse = client.post(
        reverse("evaluation:jury_declarer", args=[candidature.pk]), {"conflit": "oui"}
    )
    assert reponse.status_code == 400
    assert "Précisez le type de conflit" in reponse.content.decode()

    client.post(reverse("evaluation:jury_declarer", args=[candidature.pk]), {"conflit": "non"})
    page = client.get(url).content.decode()
    assert "Mes notes" in page and "Projet solide" not in page

    criteres = list(candidature.appel.grille.criteres.all())
    donnees = {f"note_{criteres[0].pk}": "9", f"note_{criteres[1].pk}": "3"}
    reponse = client.post(reverse("evaluation:jury_noter", args=[candidature.pk]), donnees)
    assert reponse.status_code == 400  # 9 > 5
    assert Evaluation.objects.count() == 1

    donnees[f"note_{criteres[0].pk}"] = "4"
    client.post(reverse("evaluation:jury_noter", args=[candidature.pk]), donnees)
    assert "Projet solide" not in client.get(url).content.decode()
    client.post(reverse("evaluation:jury_noter", args=[candidature.pk]), {**donnees, "valider": ""})
    assert "Projet solide" in client.get(url).content.decode()


def test_gestionnaire_d_un_autre_programme_recoit_404(client, jury):
    autre = UtilisateurFactory(gestionnaire=True)
    ProgrammeFactory(gestionnaires=[autre])
    client.force_login(autre)

    for nom in ("gestion_jury", "gestion_classement", "gestion_grille"):
        assert client.get(reverse(f"evaluation:{nom}", args=[jury.appel_id])).status_code == 404


def test_publication_deja_faite_donne_409(client, jury, gestionnaire, candidature):
    membre_note(jury, candidature, [4, 5])
    services.ouvrir_deliberation(Appel.objects.get(pk=jury.appel_id), par=gestionnaire)
    seance_au_quorum(Appel.objects.get(pk=jury.appel_id), gestionnaire)
    services.enregistrer_decisions(
        Appel.objects.get(pk=jury.appel_id),
        par=gestionnaire,
        decisions={candidature.pk: ("retenue", "")},
    )
    client.force_login(gestionnaire)
    url = reverse("evaluation:gestion_publier", args=[jury.appel_id])

    assert client.post(url).status_code == 302
    reponse = client.post(url)
    assert reponse.status_code == 409
    assert "La délibération n&#x27;est pas ouverte" in reponse.content.decode()
    pdf = client.get(reverse("evaluation:gestion_proces_verbal", args=[jury.appel_id]))
    assert (pdf.status_code, pdf.content[:5]) == (200, b"%PDF-")


def _classement_avec(nombre, gestionnaire):
    jury = JuryFactory(appel__programme=ProgrammeFactory(gestionnaires=[gestionnaire]))
    structures = StructureFactory.create_batch(nombre)
    candidatures = [
        CandidatureFactory(appel=jury.appel, recevable=True, structure=s) for s in structures
    ]
    for candidature in candidatures[:3]:
        membre_note(jury, candidature, [3, 6])
        membre_note(jury, candidature, [5, 2])
    return jury


@pytest.mark.parametrize("nombre", [3, 300])
def test_page_classement_nombre_de_requetes_constant(client, gestionnaire, nombre):
    jury = _classement_avec(nombre, gestionnaire)
    client.force_login(gestionnaire)
    url = reverse("evaluation:gestion_classement", args=[jury.appel_id])

    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)

    assert reponse.status_code == 200
    # 50 lignes par page (plus l'en-tête) ; la pagination ajoute une requête, le compte.
    assert reponse.content.decode().count("<tr>") == min(nombre, 50) + 1
    # (ni session ni groupes : la session est dans le cache, les rôles sur la ligne du compte)
    assert len(requetes) == 6

    with CaptureQueriesContext(connection) as requetes:
        derniere = client.get(url, {"page": 6})
    assert derniere.status_code == 200
    assert len(requetes) == 6


def test_page_2_du_classement_garde_les_rangs_de_tout_l_appel(client, gestionnaire):
    # 48 candidatures à 20/20, 5 à 13/20 (positions 49 à 53), 2 sans note (54, 55).
    jury = JuryFactory(appel__programme=ProgrammeFactory(gestionnaires=[gestionnaire]))
    candidatures = [
        CandidatureFactory(
            appel=jury.appel, recevable=True, structure=StructureFactory(nom=f"S{numero:02d}")
        )
        for numero in range(55)
    ]
    for candidature in candidatures[:48]:
        membre_note(jury, candidature, [5, 10])
    for candidature in candidatures[48:53]:
        membre_note(jury, candidature, [4, 2])
    client.force_login(gestionnaire)

    reponse = client.get(
        reverse("evaluation:gestion_classement", args=[jury.appel_id]), {"page": 2}
    )

    assert reponse.status_code == 200
    lignes = reponse.context["lignes"]
    assert [ligne.candidature.structure.nom for ligne in lignes] == [
        "S50",
        "S51",
        "S52",
        "S53",
        "S54",
    ]
    # L'égalité commence en page 1 (positions 49 et 50) : rang 49, pas 1, sur la page 2.
    assert [(ligne.rang, ligne.ex_aequo, ligne.moyenne) for ligne in lignes] == [
        (49, True, 13.0),
        (49, True, 13.0),
        (49, True, 13.0),
        (None, False, None),
        (None, False, None),
    ]
    texte = reponse.content.decode()
    assert '<nav aria-label="Pagination">' in texte
    assert "page=1" in texte and "Page 2 sur 2" in texte
    assert "lignes 51 à 55 ci-dessous" in texte


def test_grille_figee_des_la_premiere_note_puis_en_deliberation_409(
    client, jury, gestionnaire, candidature
):
    """La grille se change tant que personne n'a noté ; ensuite, et à plus forte raison une
    fois la délibération ouverte, c'est un refus d'état (409), pas de droit."""
    client.force_login(gestionnaire)
    url = reverse("evaluation:gestion_grille", args=[jury.appel_id])
    appel = Appel.objects.get(pk=jury.appel_id)
    sur_8, sur_4 = (donnees_de_la_grille(appel.pk, maximums={"Partenariats": m}) for m in (8, 4))

    assert client.post(url, sur_8).status_code == 302
    membre_note(jury, candidature, [4, 5])
    premiere_note = client.post(url, sur_4)
    services.ouvrir_deliberation(appel, par=gestionnaire)
    en_deliberation = client.post(url, sur_4)

    assert (premiere_note.status_code, en_deliberation.status_code) == (409, 409)
    assert (
        escape("La grille ne se modifie plus : des membres du jury ont déjà saisi des notes.")
        in premiere_note.content.decode()
    )
    assert (
        escape("La grille ne se modifie plus : l'appel est « En délibération ».")
        in en_deliberation.content.decode()
    )
    assert list(appel.grille.criteres.values_list("libelle", "maximum")) == [
        ("Adéquation", 5),
        ("Partenariats", 8),
    ]


def test_une_grille_figee_se_lit_sans_bouton_ni_champ_a_saisir(
    client, jury, gestionnaire, candidature
):
    client.force_login(gestionnaire)
    url = reverse("evaluation:gestion_grille", args=[jury.appel_id])
    membre_note(jury, candidature, [4, 5])

    page = client.get(url).content.decode()

    assert "Enregistrer la grille" not in page
    assert (
        escape("La grille ne se modifie plus : des membres du jury ont déjà saisi des notes.")
        in page
    )
    assert 'name="criteres-0-libelle"' in page
    assert re.search(r'<input[^>]*name="criteres-0-libelle"[^>]*disabled', page)


# --- Une candidature retirée au membre pendant qu'il la lit ----------------------------------

PLUS_CONFIEE_NOTES = (
    "Cette candidature ne vous est plus confiée : vos notes n'ont pas été enregistrées."
)
PLUS_CONFIEE_DECLARATION = (
    "Cette candidature ne vous est plus confiée : votre déclaration n'a pas été enregistrée."
)


def _notes_envoyees(candidature, valeurs):
    criteres = list(candidature.appel.grille.criteres.all())
    return {f"note_{c.pk}": str(v) for c, v in zip(criteres, valeurs, strict=True)} | {
        "valider": ""
    }


def test_notes_envoyees_apres_le_retrait_de_l_affectation_refus_clair_sans_la_candidature(
    client, jury, gestionnaire, candidature
):
    """La page de la candidature est restée ouverte ; le gestionnaire lui retire la
    candidature avant qu'il n'envoie ses notes : un refus qui dit pourquoi, sur son espace, et
    rien de la candidature, pas même son nom."""
    moi = membre_sans_conflit(jury, candidature)
    client.force_login(moi.utilisateur)
    assert (
        client.get(reverse("evaluation:jury_candidature", args=[candidature.pk])).status_code == 200
    )
    services.retirer_affectation(Affectation.objects.get(membre=moi), par=gestionnaire)

    reponse = client.post(
        reverse("evaluation:jury_noter", args=[candidature.pk]),
        _notes_envoyees(candidature, [5, 5]),
    )

    assert reponse.status_code == 409
    page = reponse.content.decode()
    assert escape(PLUS_CONFIEE_NOTES) in page
    assert "Aucune candidature ne vous est confiée pour l'instant." in page
    assert "Houplines" not in page
    assert "Mes notes" not in page
    assert Evaluation.objects.filter(affectation__membre=moi).count() == 0


def test_declaration_envoyee_apres_le_retrait_de_l_affectation_refus_clair(
    client, jury, gestionnaire, candidature
):
    affectation = AffectationFactory(membre__jury=jury, candidature=candidature)
    client.force_login(affectation.membre.utilisateur)
    services.retirer_affectation(affectation, par=gestionnaire)

    reponse = client.post(
        reverse("evaluation:jury_declarer", args=[candidature.pk]), {"conflit": "non"}
    )

    assert reponse.status_code == 409
    page = reponse.content.decode()
    assert escape(PLUS_CONFIEE_DECLARATION) in page
    assert "Houplines" not in page
    assert ConflitInterets.objects.filter(membre=affectation.membre).count() == 0


def test_notes_sur_la_candidature_d_un_autre_jury_restent_introuvables(client, candidature):
    """Le refus clair est réservé au jury de l'appel : pour un autre, la candidature
    n'existe pas."""
    ailleurs = MembreJuryFactory()
    client.force_login(ailleurs.utilisateur)

    for nom in ("jury_noter", "jury_declarer"):
        reponse = client.post(
            reverse(f"evaluation:{nom}", args=[candidature.pk]),
            _notes_envoyees(candidature, [5, 5]),
        )
        assert reponse.status_code == 404
    assert Evaluation.objects.count() == 0


# --- Le procès-verbal -------------------------------------------------------------------------


def test_un_seul_proces_verbal_en_rendu_a_la_fois_par_personne(
    client, jury, gestionnaire, candidature
):
    membre_note(jury, candidature, [4, 5])
    services.ouvrir_deliberation(Appel.objects.get(pk=jury.appel_id), par=gestionnaire)
    client.force_login(gestionnaire)
    adresse = reverse("evaluation:gestion_proces_verbal", args=[jury.appel_id])

    # Pendant qu'un autre rendu de cette personne est en cours (une autre requête) :
    with un_rendu_a_la_fois(gestionnaire):
        pendant = client.get(adresse)
    apres = client.get(adresse)

    assert (pendant.status_code, pendant.get("Retry-After")) == (429, "10")
    page = pendant.content.decode()
    assert "Un autre PDF est déjà en préparation pour vous." in page
    assert f'href="/gestion/appels/{jury.appel_id}/deliberation/"' in page
    assert (apres.status_code, apres.content[:5]) == (200, b"%PDF-")


# --- La page du jury, champ par champ ---------------------------------------------------------


class _Libelles(HTMLParser):
    """{id du champ: texte de son libellé} pour chaque <label for> de la page."""

    def __init__(self):
        super().__init__()
        self.libelles = {}
        self._champ = None

    def handle_starttag(self, balise, attributs):
        if balise == "label" and dict(attributs).get("for"):
            self._champ = dict(attributs)["for"]
            self.libelles[self._champ] = ""

    def handle_endtag(self, balise):
        if balise == "label":
            self._champ = None

    def handle_data(self, texte):
        if self._champ is not None:
            self.libelles[self._champ] += texte


def test_chaque_champ_de_la_page_du_jury_a_son_propre_libelle(client, jury, gestionnaire):
    """Qui parcourt la page au lecteur d'écran distingue le nombre de membres des réglages
    de celui de la répartition."""
    client.force_login(gestionnaire)
    analyse = _Libelles()

    analyse.feed(client.get(reverse("evaluation:gestion_jury", args=[jury.appel_id])).text)

    libelles = {champ: " ".join(texte.split()) for champ, texte in analyse.libelles.items()}
    # L'astérisque d'un champ obligatoire ne suffit pas à distinguer deux libellés.
    sans_asterisque = Counter(texte.rstrip("*") for texte in libelles.values())
    assert sorted(texte for texte, nombre in sans_asterisque.items() if nombre > 1) == []
    assert libelles["id_membres_par_candidature"] == (
        "Nombre de membres par candidature proposé par défaut*"
    )
    assert libelles["id_par_candidature"] == (
        "Nombre de membres à affecter à chaque candidature (répartition automatique)"
    )
