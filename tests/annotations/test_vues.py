"""Les pages des étiquettes et des notes, la pose en masse depuis les listes, le filtre de la
liste et la colonne des exports."""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from annotations import services
from annotations.models import Etiquetage, Etiquette, NotePrivee
from journal.enums import TypeEvenement
from journal.models import Evenement
from tests.candidatures.factories import CandidatureFactory

pytestmark = pytest.mark.django_db


def _liste(appel):
    return f"/gestion/appels/{appel.pk}/candidatures/"


def _noms(reponse):
    return [c.structure.nom for c in reponse.context["page"]]


def _messages(reponse):
    return [str(m) for m in reponse.context["messages"]]


# --- Pose en masse depuis la liste des candidatures ----------------------------------------


def test_cocher_deux_candidatures_et_leur_ajouter_une_nouvelle_etiquette(
    client, gestionnaire, appel, programme, candidatures
):
    houplines, leers, _lys = candidatures
    client.force_login(gestionnaire)

    reponse = client.post(
        "/gestion/etiquettes/appliquer/candidature/",
        {
            "candidatures": [houplines.pk, leers.pk],
            "programme": programme.pk,
            "nouvelle_etiquette": "À rappeler",
            "operation": "ajouter",
            "retour": _liste(appel) + "?etat=deposee",
        },
        follow=True,
    )

    assert reponse.redirect_chain == [(_liste(appel) + "?etat=deposee", 302)]
    assert _messages(reponse) == ["Étiquette « À rappeler » ajoutée à 2 dossiers."]
    etiquette = Etiquette.objects.get()
    assert (etiquette.nom, etiquette.programme) == ("À rappeler", programme)
    assert sorted(Etiquetage.objects.values_list("cible_id", flat=True)) == sorted(
        [houplines.pk, leers.pk]
    )
    [ajout] = Evenement.objects.filter(type=TypeEvenement.ETIQUETTE_AJOUTEE)
    assert (ajout.acteur, ajout.donnees["nombre"]) == (gestionnaire, 2)
    assert Evenement.objects.filter(type=TypeEvenement.ETIQUETTE_CREEE).count() == 1
    # Les badges sur les lignes, et le filtre qui ne garde qu'elles.
    contenu = reponse.content.decode()
    assert contenu.count('<span class="badge rounded-pill text-bg-light border">À rappeler') == 2
    filtree = client.get(_liste(appel), {"etiquette": etiquette.pk, "tri": "structure"})
    assert _noms(filtree) == ["CCAS de Houplines", "CCAS de Leers"]


def test_retirer_une_etiquette_choisie_dans_la_liste(
    client, gestionnaire, appel, programme, candidatures
):
    houplines, leers, lys = candidatures
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="Dossier solide")
    services.ajouter_etiquette(etiquette, candidatures, par=gestionnaire)
    client.force_login(gestionnaire)

    reponse = client.post(
        "/gestion/etiquettes/appliquer/candidature/",
        {
            "candidatures": [leers.pk],
            "programme": programme.pk,
            "etiquette": etiquette.pk,
            "operation": "retirer",
            "retour": _liste(appel),
        },
        follow=True,
    )

    assert _messages(reponse) == ["Étiquette « Dossier solide » retirée de 1 dossier."]
    filtree = client.get(_liste(appel), {"etiquette": etiquette.pk, "tri": "structure"})
    assert _noms(filtree) == ["CCAS de Houplines", "Centre social Lys"]


def test_sans_etiquette_choisie_rien_ne_change_et_la_liste_le_dit(
    client, gestionnaire, appel, programme, candidatures
):
    client.force_login(gestionnaire)
    reponse = client.post(
        "/gestion/etiquettes/appliquer/candidature/",
        {
            "candidatures": [candidatures[0].pk],
            "programme": programme.pk,
            "operation": "ajouter",
            "retour": _liste(appel),
        },
        follow=True,
    )
    assert _messages(reponse) == ["Choisissez une étiquette, ou tapez le nom d'une nouvelle."]
    assert Etiquetage.objects.count() == 0


def test_une_adresse_de_retour_hors_du_site_n_est_pas_suivie(
    client, gestionnaire, programme, candidatures
):
    client.force_login(gestionnaire)
    reponse = client.post(
        "/gestion/etiquettes/appliquer/candidature/",
        {
            "candidatures": [candidatures[0].pk],
            "programme": programme.pk,
            "nouvelle_etiquette": "À rappeler",
            "operation": "ajouter",
            "retour": "https://pirate.example/",
        },
    )
    assert reponse["Location"] == f"/gestion/programmes/{programme.pk}/etiquettes/"


def test_le_gestionnaire_b_ne_voit_ni_n_etiquette_les_candidatures_de_a(
    client, gestionnaire, appel, programme, candidatures, gestionnaire_b, programme_b
):
    etiquette_a = services.creer_etiquette(programme, par=gestionnaire, nom="À rappeler")
    client.force_login(gestionnaire_b)

    # Le programme A lui est introuvable ; avec le sien, les dossiers de A lui sont interdits.
    avec_a = client.post(
        "/gestion/etiquettes/appliquer/candidature/",
        {
            "candidatures": [c.pk for c in candidatures],
            "programme": programme.pk,
            "etiquette": etiquette_a.pk,
            "operation": "ajouter",
        },
    )
    avec_b = client.post(
        "/gestion/etiquettes/appliquer/candidature/",
        {
            "candidatures": [c.pk for c in candidatures],
            "programme": programme_b.pk,
            "nouvelle_etiquette": "Intrus",
            "operation": "ajouter",
        },
    )
    page_a = client.get(f"/gestion/programmes/{programme.pk}/etiquettes/")
    renommer = client.post(f"/gestion/etiquettes/{etiquette_a.pk}/renommer/", {"nom": "X"})
    liste_a = client.get(_liste(appel), {"etiquette": etiquette_a.pk})

    assert (avec_a.status_code, avec_b.status_code) == (404, 403)
    assert (page_a.status_code, renommer.status_code, liste_a.status_code) == (404, 404, 404)
    assert Etiquetage.objects.count() == 0
    # La création de « Intrus » est annulée avec le reste : rien d'écrit à moitié.
    assert list(Etiquette.objects.values_list("nom", flat=True)) == ["À rappeler"]


def test_la_liste_fait_autant_de_requetes_avec_et_sans_beaucoup_d_etiquettes(
    client, gestionnaire, appel, programme, candidatures
):
    client.force_login(gestionnaire)
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="À rappeler")
    services.ajouter_etiquette(etiquette, candidatures[:1], par=gestionnaire)

    def requetes():
        with CaptureQueriesContext(connection) as capturees:
            assert client.get(_liste(appel)).status_code == 200
        return len(capturees)

    avec_une = requetes()
    autres = [CandidatureFactory(appel=appel, deposee=True) for _ in range(10)]
    for nom in ("Dossier solide", "Relancer", "Visite faite"):
        services.ajouter_etiquette(
            services.creer_etiquette(programme, par=gestionnaire, nom=nom),
            candidatures + autres,
            par=gestionnaire,
        )
    assert requetes() == avec_une


# --- Exports -------------------------------------------------------------------------------


def test_les_exports_ont_une_colonne_etiquettes(
    client, gestionnaire, appel, programme, candidatures
):
    houplines, leers, lys = candidatures
    for nom, porteurs in (("Rappeler", [houplines, lys]), ("Dossier solide", [houplines])):
        services.ajouter_etiquette(
            services.creer_etiquette(programme, par=gestionnaire, nom=nom),
            porteurs,
            par=gestionnaire,
        )
    client.force_login(gestionnaire)

    reponse_csv = client.get(f"{_liste(appel)}export.csv", {"tri": "structure"})
    texte = b"".join(reponse_csv.streaming_content).decode("utf-8").lstrip("\ufeff")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    classeur = client.get(f"{_liste(appel)}export.xlsx", {"tri": "structure"})
    feuille = load_workbook(io.BytesIO(classeur.content)).active
    cellules = list(feuille.iter_rows(values_only=True))

    assert [(ligne[1], ligne[-1]) for ligne in lignes] == [
        ("Structure", "Étiquettes"),
        ("CCAS de Houplines", "Dossier solide, Rappeler"),
        ("CCAS de Leers", ""),
        ("Centre social Lys", "Rappeler"),
    ]
    assert [(ligne[1], ligne[-1]) for ligne in cellules] == [
        ("Structure", "Étiquettes"),
        ("CCAS de Houplines", "Dossier solide, Rappeler"),
        ("CCAS de Leers", None),
        ("Centre social Lys", "Rappeler"),
    ]
    # L'export suit le filtre par étiquette, comme la liste.
    filtre = client.get(
        f"{_liste(appel)}export.csv", {"etiquette": Etiquette.objects.get(nom="Dossier solide").pk}
    )
    texte = b"".join(filtre.streaming_content).decode("utf-8").lstrip("\ufeff")
    assert [ligne[1] for ligne in csv.reader(io.StringIO(texte), delimiter=";")] == [
        "Structure",
        "CCAS de Houplines",
    ]


def test_l_export_fait_autant_de_requetes_avec_1_et_20_candidatures_etiquetees(
    client, gestionnaire, appel, programme
):
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="Rappeler")
    client.force_login(gestionnaire)

    def requetes():
        with CaptureQueriesContext(connection) as capturees:
            reponse = client.get(f"{_liste(appel)}export.csv")
            b"".join(reponse.streaming_content)
        return len(capturees)

    services.ajouter_etiquette(
        etiquette, [CandidatureFactory(appel=appel, deposee=True)], par=gestionnaire
    )
    avec_une = requetes()
    services.ajouter_etiquette(
        etiquette,
        [CandidatureFactory(appel=appel, deposee=True) for _ in range(19)],
        par=gestionnaire,
    )
    assert requetes() == avec_une


# --- Cohorte -------------------------------------------------------------------------------


def test_etiqueter_des_plans_depuis_la_cohorte(client, gestionnaire, programme, plan):
    client.force_login(gestionnaire)
    cohorte = f"/gestion/appels/{plan.candidature.appel_id}/cohorte/"

    reponse = client.post(
        "/gestion/etiquettes/appliquer/plan/",
        {
            "plans": [plan.pk],
            "programme": programme.pk,
            "nouvelle_etiquette": "Suivi serré",
            "operation": "ajouter",
            "retour": cohorte,
        },
        follow=True,
    )

    assert reponse.redirect_chain == [(cohorte, 302)]
    assert _messages(reponse) == ["Étiquette « Suivi serré » ajoutée à 1 dossier."]
    assert [e.nom for e in reponse.context["plans"][0].etiquettes_privees] == ["Suivi serré"]
    assert 'form="etiquetage-plans" name="plans"' in reponse.content.decode()


# --- Page des étiquettes d'un programme ----------------------------------------------------


def test_creer_renommer_supprimer_depuis_la_page_des_etiquettes(
    client, gestionnaire, programme, candidatures
):
    client.force_login(gestionnaire)
    page = f"/gestion/programmes/{programme.pk}/etiquettes/"

    cree = client.post(page, {"nom": "A rappeler"}, follow=True)
    etiquette = Etiquette.objects.get()
    services.ajouter_etiquette(etiquette, candidatures[:2], par=gestionnaire)
    doublon = client.post(page, {"nom": "a RAPPELER"})
    renomme = client.post(
        f"/gestion/etiquettes/{etiquette.pk}/renommer/", {"nom": "À rappeler"}, follow=True
    )
    supprime = client.post(f"/gestion/etiquettes/{etiquette.pk}/supprimer/", follow=True)

    assert _messages(cree) == ["L'étiquette « A rappeler » est créée."]
    assert doublon.status_code == 400
    assert "L&#x27;étiquette « a RAPPELER » existe déjà dans ce programme." in doublon.text
    assert 'value="a RAPPELER"' in doublon.text
    assert _messages(renomme) == ["L'étiquette « A rappeler » s'appelle désormais « À rappeler »."]
    assert _messages(supprime) == [
        "L'étiquette « À rappeler » est supprimée ; elle est retirée de 2 dossiers."
    ]
    assert [
        e.type for e in Evenement.objects.filter(type__startswith="etiquette_").order_by("pk")
    ] == ["etiquette_creee", "etiquette_ajoutee", "etiquette_renommee", "etiquette_supprimee"]


def test_la_page_des_etiquettes_compte_leurs_dossiers(
    client, gestionnaire, programme, candidatures
):
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="Rappeler")
    services.ajouter_etiquette(etiquette, candidatures, par=gestionnaire)
    client.force_login(gestionnaire)

    reponse = client.get(f"/gestion/programmes/{programme.pk}/etiquettes/")

    assert [(e.nom, e.nombre) for e in reponse.context["etiquettes"]] == [("Rappeler", 3)]


# --- Notes ---------------------------------------------------------------------------------


def test_ecrire_une_note_sur_la_page_d_instruction(client, gestionnaire, candidatures):
    candidature = candidatures[0]
    client.force_login(gestionnaire)

    reponse = client.post(
        f"/notes/candidature/{candidature.pk}/", {"texte": "Appeler le maire."}, follow=True
    )

    assert reponse.redirect_chain == [
        (f"/gestion/candidatures/{candidature.pk}/#notes-privees", 302)
    ]
    assert _messages(reponse) == ["La note est enregistrée."]
    assert "Appeler le maire." in reponse.text
    note = NotePrivee.objects.get()
    assert (note.auteur, note.cible) == (gestionnaire, candidature)


def test_le_coach_ecrit_modifie_et_efface_sa_note_sur_le_plan(client, coach, gestionnaire, plan):
    client.force_login(coach)
    client.post(f"/notes/plan/{plan.pk}/", {"texte": "Premier rendez-vous fixé."})
    note = NotePrivee.objects.get()

    formulaire = client.get(f"/notes/{note.pk}/modifier/")
    modifie = client.post(
        f"/notes/{note.pk}/modifier/", {"texte": "Rendez-vous le 12."}, follow=True
    )
    client.force_login(gestionnaire)
    par_un_autre = client.post(f"/notes/{note.pk}/effacer/")
    page_du_gestionnaire = client.get(f"/accompagnement/plans/{plan.pk}/")
    client.force_login(coach)
    efface = client.post(f"/notes/{note.pk}/effacer/", follow=True)

    assert formulaire.status_code == 200
    assert "Premier rendez-vous fixé." in formulaire.text
    assert _messages(modifie) == ["La note est modifiée."]
    assert "Rendez-vous le 12." in modifie.text
    assert par_un_autre.status_code == 403
    assert "Rendez-vous le 12." in page_du_gestionnaire.text
    assert f"/notes/{note.pk}/modifier/" not in page_du_gestionnaire.text
    assert _messages(efface) == ["La note est effacée."]
    assert NotePrivee.objects.count() == 0


def test_une_note_vide_revient_avec_son_message(client, gestionnaire, candidatures):
    client.force_login(gestionnaire)
    reponse = client.post(
        f"/notes/candidature/{candidatures[0].pk}/", {"texte": "   "}, follow=True
    )
    assert _messages(reponse) == ["Écrivez la note avant de l'enregistrer."]
    assert NotePrivee.objects.count() == 0


def test_la_structure_ne_trouve_pas_le_formulaire_de_notes_de_son_plan(client, candidat, plan):
    client.force_login(candidat)
    reponse = client.post(f"/notes/plan/{plan.pk}/", {"texte": "Je peux ?"})
    assert reponse.status_code == 404
    assert NotePrivee.objects.count() == 0


def test_le_gestionnaire_b_ne_trouve_pas_les_candidatures_de_a(
    client, gestionnaire_b, candidatures
):
    client.force_login(gestionnaire_b)
    reponse = client.post(f"/notes/candidature/{candidatures[0].pk}/", {"texte": "Intrus"})
    assert reponse.status_code == 404
    assert NotePrivee.objects.count() == 0


def test_etiqueter_en_masse_fait_autant_de_requetes_pour_1_et_pour_3_candidatures(
    client, gestionnaire, appel, programme, candidatures
):
    client.force_login(gestionnaire)
    etiquettes = [
        services.creer_etiquette(programme, par=gestionnaire, nom=nom) for nom in ("A", "B")
    ]

    def poser(etiquette, cochees):
        ContentType.objects.clear_cache()  # les deux mesures partent du même état
        with CaptureQueriesContext(connection) as capturees:
            reponse = client.post(
                "/gestion/etiquettes/appliquer/candidature/",
                {
                    "candidatures": [c.pk for c in cochees],
                    "programme": programme.pk,
                    "etiquette": etiquette.pk,
                    "operation": "ajouter",
                    "retour": _liste(appel),
                },
            )
        assert reponse.status_code == 302
        return len(capturees)

    avec_une = poser(etiquettes[0], candidatures[:1])
    avec_trois = poser(etiquettes[1], candidatures)

    assert avec_trois == avec_une
    assert Etiquetage.objects.filter(etiquette=etiquettes[1]).count() == 3
