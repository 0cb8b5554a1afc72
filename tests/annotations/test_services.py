"""Les services des notes privées et des étiquettes : droits vérifiés sur l'objet, noms uniques
par programme sans égard à la casse, pose en masse journalisée une fois."""

import pytest
from django.contrib.contenttypes.models import ContentType

from annotations import selectors, services
from annotations.models import Etiquetage, Etiquette, NotePrivee
from candidatures.models import Candidature
from candidatures.selectors import candidatures_de_l_appel
from journal.enums import TypeEvenement
from journal.models import Evenement
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _evenements(type_evenement):
    return list(Evenement.objects.filter(type=type_evenement).order_by("pk"))


# --- Étiquettes ----------------------------------------------------------------------------


def test_creer_une_etiquette_la_journalise(programme, gestionnaire):
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="  Dossier   solide ")

    assert (etiquette.nom, etiquette.programme) == ("Dossier solide", programme)
    [evenement] = _evenements(TypeEvenement.ETIQUETTE_CREEE)
    assert (evenement.cible, evenement.acteur, evenement.donnees) == (
        etiquette,
        gestionnaire,
        {"nom": "Dossier solide"},
    )


@pytest.mark.parametrize("doublon", ["dossier solide", "DOSSIER SOLIDE", "À RAPPELER"])
def test_un_nom_est_unique_par_programme_sans_egard_a_la_casse(programme, gestionnaire, doublon):
    services.creer_etiquette(programme, par=gestionnaire, nom="Dossier solide")
    services.creer_etiquette(programme, par=gestionnaire, nom="À rappeler")

    with pytest.raises(DonneesRefusees) as refus:
        services.creer_etiquette(programme, par=gestionnaire, nom=doublon)

    assert refus.value.message == f"L'étiquette « {doublon} » existe déjà dans ce programme."
    assert Etiquette.objects.filter(programme=programme).count() == 2


def test_le_meme_nom_vit_dans_deux_programmes(programme, gestionnaire, programme_b, gestionnaire_b):
    services.creer_etiquette(programme, par=gestionnaire, nom="À rappeler")
    services.creer_etiquette(programme_b, par=gestionnaire_b, nom="À rappeler")

    assert Etiquette.objects.filter(nom="À rappeler").count() == 2


def test_un_nom_vide_est_refuse(programme, gestionnaire):
    with pytest.raises(DonneesRefusees) as refus:
        services.creer_etiquette(programme, par=gestionnaire, nom="   ")
    assert refus.value.message == "Donnez un nom à l'étiquette."


def test_le_gestionnaire_d_un_autre_programme_ne_cree_rien(programme, gestionnaire_b):
    with pytest.raises(ActionNonPermise):
        services.creer_etiquette(programme, par=gestionnaire_b, nom="Intrus")
    assert Etiquette.objects.count() == 0


def test_renommer_journalise_l_ancien_et_le_nouveau_nom(programme, gestionnaire):
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="A rappeler")
    services.creer_etiquette(programme, par=gestionnaire, nom="Dossier solide")

    services.renommer_etiquette(etiquette, par=gestionnaire, nom="À rappeler")
    with pytest.raises(DonneesRefusees):
        services.renommer_etiquette(etiquette, par=gestionnaire, nom="dossier SOLIDE")

    etiquette.refresh_from_db()
    assert etiquette.nom == "À rappeler"
    [evenement] = _evenements(TypeEvenement.ETIQUETTE_RENOMMEE)
    assert evenement.donnees == {"avant": "A rappeler", "apres": "À rappeler"}


def test_supprimer_retire_l_etiquette_des_dossiers_et_le_journalise(
    programme, gestionnaire, candidatures
):
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="À rappeler")
    services.ajouter_etiquette(etiquette, candidatures[:2], par=gestionnaire)

    assert services.supprimer_etiquette(etiquette, par=gestionnaire) == 2

    assert (Etiquette.objects.count(), Etiquetage.objects.count()) == (0, 0)
    [evenement] = _evenements(TypeEvenement.ETIQUETTE_SUPPRIMEE)
    assert (evenement.cible, evenement.donnees["nom"], evenement.donnees["dossiers"]) == (
        programme,
        "À rappeler",
        2,
    )
    with pytest.raises(ActionImpossible):
        services.supprimer_etiquette(etiquette, par=gestionnaire)


# --- Pose en masse -------------------------------------------------------------------------


def test_ajouter_en_masse_pose_les_manquantes_et_journalise_une_fois(
    programme, gestionnaire, candidatures
):
    houplines, leers, lys = candidatures
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="Dossier solide")
    services.ajouter_etiquette(etiquette, [houplines], par=gestionnaire)

    assert services.ajouter_etiquette(etiquette, [houplines, leers, lys], par=gestionnaire) == 2

    assert sorted(Etiquetage.objects.values_list("cible_id", flat=True)) == sorted(
        c.pk for c in candidatures
    )
    ajouts = _evenements(TypeEvenement.ETIQUETTE_AJOUTEE)
    assert [e.donnees["nombre"] for e in ajouts] == [1, 2]
    assert ajouts[1].donnees == {
        "nombre": 2,
        "cible": "candidatures.candidature",
        "identifiants": sorted([leers.pk, lys.pk]),
    }
    assert ajouts[1].cible == etiquette


def test_retirer_en_masse_journalise_le_nombre_retire(programme, gestionnaire, candidatures):
    houplines, leers, lys = candidatures
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="À rappeler")
    services.ajouter_etiquette(etiquette, [houplines, leers], par=gestionnaire)

    assert services.retirer_etiquette(etiquette, [houplines, lys], par=gestionnaire) == 1

    assert list(Etiquetage.objects.values_list("cible_id", flat=True)) == [leers.pk]
    [retrait] = _evenements(TypeEvenement.ETIQUETTE_RETIREE)
    assert retrait.donnees["nombre"] == 1


def test_le_gestionnaire_b_ne_pose_rien_sur_les_candidatures_de_a(
    programme, gestionnaire, candidatures, programme_b, gestionnaire_b
):
    etiquette_b = services.creer_etiquette(programme_b, par=gestionnaire_b, nom="Intrus")
    etiquette_a = services.creer_etiquette(programme, par=gestionnaire, nom="À rappeler")

    with pytest.raises(ActionNonPermise):
        services.ajouter_etiquette(etiquette_b, candidatures, par=gestionnaire_b)
    with pytest.raises(ActionNonPermise):
        services.ajouter_etiquette(etiquette_a, candidatures, par=gestionnaire_b)
    # Une étiquette d'un programme ne se pose pas sur le dossier d'un autre, même par quelqu'un
    # qui gère les deux.
    gestionnaire_b.programmes_geres.add(programme)
    gestionnaire_b.__dict__.pop("_ids_programmes_geres", None)
    with pytest.raises(ActionNonPermise):
        services.ajouter_etiquette(etiquette_b, candidatures, par=gestionnaire_b)

    assert Etiquetage.objects.count() == 0
    assert _evenements(TypeEvenement.ETIQUETTE_AJOUTEE) == []


def test_le_coach_ecrit_sur_son_plan_mais_n_y_pose_pas_d_etiquette(
    programme, gestionnaire, coach, plan
):
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="Suivi serré")

    with pytest.raises(ActionNonPermise):
        services.ajouter_etiquette(etiquette, [plan], par=coach)
    assert services.ajouter_etiquette(etiquette, [plan], par=gestionnaire) == 1
    assert [e.nom for e in selectors.etiquettes_de(plan)] == ["Suivi serré"]


def test_rien_de_coche_est_refuse(programme, gestionnaire):
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="À rappeler")
    with pytest.raises(DonneesRefusees) as refus:
        services.ajouter_etiquette(etiquette, [], par=gestionnaire)
    assert refus.value.message == "Cochez au moins un dossier."


def test_le_selecteur_de_la_liste_filtre_par_etiquette(
    appel, programme, gestionnaire, candidatures
):
    houplines, leers, lys = candidatures
    etiquette = services.creer_etiquette(programme, par=gestionnaire, nom="À rappeler")
    autre = services.creer_etiquette(programme, par=gestionnaire, nom="Dossier solide")
    services.ajouter_etiquette(etiquette, [houplines, lys], par=gestionnaire)
    services.ajouter_etiquette(autre, [leers], par=gestionnaire)

    filtrees = candidatures_de_l_appel(appel, etiquette=etiquette.pk, tri="structure")

    assert [c.structure.nom for c in filtrees] == ["CCAS de Houplines", "Centre social Lys"]
    assert list(candidatures_de_l_appel(appel, etiquette=autre)) == [leers]


def test_les_noms_des_etiquettes_de_toutes_les_lignes_en_une_requete(
    appel, programme, gestionnaire, candidatures, django_assert_num_queries
):
    houplines, leers, lys = candidatures
    for nom in ("Rappeler", "Dossier solide"):
        etiquette = services.creer_etiquette(programme, par=gestionnaire, nom=nom)
        services.ajouter_etiquette(etiquette, [houplines, lys], par=gestionnaire)

    with django_assert_num_queries(1):
        noms = selectors.noms_des_etiquettes(Candidature, Candidature.objects.filter(appel=appel))

    assert noms == {
        houplines.pk: ["Dossier solide", "Rappeler"],
        lys.pk: ["Dossier solide", "Rappeler"],
    }


# --- Notes ---------------------------------------------------------------------------------


def test_une_note_porte_son_programme_son_auteur_et_sa_date(programme, gestionnaire, candidatures):
    note = services.ecrire_note(candidatures[0], par=gestionnaire, texte="  Appeler le maire. ")

    assert (note.programme, note.auteur, note.texte, note.cible) == (
        programme,
        gestionnaire,
        "Appeler le maire.",
        candidatures[0],
    )
    assert note.cible_type == ContentType.objects.get_for_model(Candidature)
    assert list(selectors.notes_de(candidatures[0])) == [note]


@pytest.mark.parametrize("qui", ["candidat", "gestionnaire_b", "coach_d_un_autre_plan", "jury"])
def test_ceux_qui_ne_suivent_pas_le_plan_n_y_ecrivent_pas(qui, plan, request):
    auteurs = {
        "candidat": lambda: request.getfixturevalue("candidat"),
        "gestionnaire_b": lambda: request.getfixturevalue("gestionnaire_b"),
        "coach_d_un_autre_plan": lambda: UtilisateurFactory(coach=True),
        "jury": lambda: UtilisateurFactory(membre_jury=True),
    }
    with pytest.raises(ActionNonPermise) as refus:
        services.ecrire_note(plan, par=auteurs[qui](), texte="Intrusion")
    assert refus.value.message == "Seule l'équipe qui suit ce dossier écrit ses notes privées."
    assert NotePrivee.objects.count() == 0


def test_seul_l_auteur_modifie_ou_efface_sa_note(plan, coach, gestionnaire):
    note = services.ecrire_note(plan, par=coach, texte="Premier rendez-vous fixé.")

    with pytest.raises(ActionNonPermise) as refus:
        services.modifier_note(note, par=gestionnaire, texte="Réécrit")
    assert refus.value.message == "Seul l'auteur d'une note la modifie ou l'efface."
    with pytest.raises(ActionNonPermise):
        services.supprimer_note(note, par=gestionnaire)

    modifiee = services.modifier_note(note, par=coach, texte="Rendez-vous déplacé au 12.")
    assert (modifiee.texte, modifiee.modifiee_le is not None) == (
        "Rendez-vous déplacé au 12.",
        True,
    )

    services.supprimer_note(note, par=coach)
    assert NotePrivee.objects.count() == 0
    [evenement] = _evenements(TypeEvenement.NOTE_PRIVEE_SUPPRIMEE)
    assert (evenement.acteur, evenement.donnees["cible"], evenement.donnees["cible_id"]) == (
        coach,
        "accompagnement.planaccompagnement",
        plan.pk,
    )
    assert "Rendez-vous" not in str(evenement.donnees)


def test_un_coach_retire_du_plan_ne_modifie_plus_sa_note(plan, coach):
    note = services.ecrire_note(plan, par=coach, texte="À revoir.")
    plan.coach = UtilisateurFactory(coach=True)
    plan.save(update_fields=["coach"])

    with pytest.raises(ActionNonPermise):
        services.modifier_note(note, par=coach, texte="Encore moi")


def test_une_note_vide_est_refusee(plan, coach):
    with pytest.raises(DonneesRefusees) as refus:
        services.ecrire_note(plan, par=coach, texte="  \n ")
    assert refus.value.message == "Écrivez la note avant de l'enregistrer."
