"""Un membre récusé ne note plus et aucune de ses notes ne compte, quel que soit l'ordre des
événements ; une fois la délibération ouverte, les notes ne changent plus.

Grille des fabriques : « Adéquation » poids 3 sur 5, « Partenariats » poids 1 sur 10.
Totaux sur 20 : [3, 6] → 12 ; [4, 2] → 13 ; [4, 6] → 15 ; [5, 5] → 17,5 ; [5, 10] → 20.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from candidatures.models import Candidature
from evaluation import services
from evaluation.agregats_du_jury import recalculer
from evaluation.lettres import notes_de_la_structure
from evaluation.models import ConflitInterets, Evaluation, Note
from evaluation.selectors import (
    avancement_par_candidature,
    avancement_par_membre,
    classement,
    evaluations_validees,
)
from journal.models import Evenement
from noyau.erreurs import ActionImpossible
from programmes.models import Appel
from tests.candidatures.factories import CandidatureFactory, StructureFactory
from tests.evaluation.factories import membre_note, membre_sans_conflit, noter

pytestmark = pytest.mark.django_db

RECUSE_HOUPLINES = (
    "Vous avez déclaré un conflit d'intérêts avec CCAS de Houplines : vous ne pouvez pas "
    "noter cette candidature, et aucune de vos notes n'y compte."
)
NOTATION_CLOSE = (
    "La notation est close : l'appel est « En délibération », les notes ne changent plus."
)


def _declarer_un_conflit(candidature, membre):
    return services.declarer_conflit(
        candidature,
        par=membre.utilisateur,
        en_conflit=True,
        type_conflit="famille",
        precision="Ma sœur préside l'association",
    )


def _donnees_notes(candidature, valeurs, *, valider=True):
    criteres = list(candidature.appel.grille.criteres.all())
    donnees = {f"note_{c.pk}": str(v) for c, v in zip(criteres, valeurs, strict=True)}
    if valider:
        donnees["valider"] = ""
    return donnees


def _agregats(appel):
    return [
        (
            ligne.candidature.structure.nom,
            ligne.rang,
            ligne.moyenne,
            ligne.mediane,
            ligne.ecart_type,
            ligne.nombre_notes,
            ligne.nombre_recusations,
        )
        for ligne in classement(appel)
    ]


def test_noter_apres_son_conflit_est_refuse_par_le_service(jury, candidature):
    moi = membre_sans_conflit(jury, candidature)
    _declarer_un_conflit(candidature, moi)

    with pytest.raises(ActionImpossible) as refus:
        noter(candidature, moi.utilisateur, [5, 5])

    assert refus.value.message == RECUSE_HOUPLINES
    assert Evaluation.objects.filter(affectation__membre=moi).count() == 0


def test_notes_envoyees_d_un_onglet_reste_ouvert_apres_le_conflit_409_sans_la_candidature(
    client, jury, candidature
):
    moi = membre_sans_conflit(jury, candidature)
    client.force_login(moi.utilisateur)
    url = reverse("evaluation:jury_noter", args=[candidature.pk])
    client.post(url, _donnees_notes(candidature, [4, 6], valider=False))
    _declarer_un_conflit(candidature, moi)

    reponse = client.post(url, _donnees_notes(candidature, [5, 5]))

    assert reponse.status_code == 409
    page = reponse.content.decode()
    assert escape(RECUSE_HOUPLINES) in page
    assert "Récusé (conflit déclaré)" in page
    assert "Mes notes" not in page
    assert Evaluation.objects.filter(affectation__membre=moi).count() == 0


def test_conflit_declare_apres_des_notes_validees_les_efface_et_le_journal_le_dit(
    jury, candidature
):
    membre_note(jury, candidature, [3, 6])
    moi = membre_note(jury, candidature, [5, 5])
    assert _agregats(jury.appel) == [("CCAS de Houplines", 1, 14.75, 14.75, 2.75, 2, 0)]

    _declarer_un_conflit(candidature, moi)

    assert _agregats(jury.appel) == [("CCAS de Houplines", 1, 12.0, 12.0, 0.0, 1, 1)]
    assert Evaluation.objects.filter(affectation__membre=moi).count() == 0
    evenement = Evenement.objects.get(type="conflit_declare")
    assert (evenement.acteur, evenement.motif, evenement.donnees) == (
        moi.utilisateur,
        "Ma sœur préside l'association",
        {
            "membre": moi.pk,
            "type": "famille",
            "notes_effacees": {"etat": "validee", "total_sur_20": 17.5},
        },
    )


def test_la_note_d_un_membre_en_conflit_ne_compte_nulle_part_meme_laissee_en_base(jury):
    """Une note validée et un conflit du même membre côte à côte : ce que l'ancienne course
    laissait en base. Classement, avancement, notes montrées et lettre l'ignorent."""
    armentieres = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS d'Armentières")
    )
    bailleul = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS de Bailleul")
    )
    membre_note(jury, armentieres, [3, 6])
    membre_note(jury, armentieres, [4, 2])
    moi = membre_note(jury, armentieres, [5, 10])
    membre_note(jury, bailleul, [4, 6])
    ConflitInterets.objects.filter(membre=moi, candidature=armentieres).update(
        en_conflit=True, type="salarie"
    )
    # Une écriture brute (update) ne passe pas par les signaux : les agrégats enregistrés se
    # recalculent comme la migration les a remplis, avec la même règle.
    recalculer(Candidature.objects.filter(pk=armentieres.pk))

    # Comptée, la note de 20 mettrait Armentières à 15 de moyenne, ex aequo avec Bailleul.
    assert _agregats(jury.appel) == [
        ("CCAS de Bailleul", 1, 15.0, 15.0, 0.0, 1, 0),
        ("CCAS d'Armentières", 2, 12.5, 12.5, 0.5, 2, 1),
    ]
    assert [(ligne.rang, ligne.ex_aequo) for ligne in classement(jury.appel)] == [
        (1, False),
        (2, False),
    ]
    assert sorted(e.total_sur_20 for e in evaluations_validees(armentieres)) == [12.0, 13.0]
    assert [
        (c.pk, c.nombre_validees, c.nombre_recusations)
        for c in avancement_par_candidature(jury.appel)
    ] == [(armentieres.pk, 2, 1), (bailleul.pk, 1, 0)]
    mon_avancement = avancement_par_membre(jury).get(pk=moi.pk)
    assert (mon_avancement.nombre_validees, mon_avancement.nombre_conflits) == (0, 1)
    assert [(c.libelle, moyenne) for c, moyenne in notes_de_la_structure(armentieres)] == [
        ("Adéquation", 3.5),
        ("Partenariats", 4.0),
    ]


def test_notes_envoyees_apres_l_ouverture_de_la_deliberation_409_et_rien_ne_change(
    client, jury, candidature, gestionnaire
):
    moi = membre_note(jury, candidature, [3, 6], commentaire="Projet solide")
    avant = Evaluation.objects.get(affectation__membre=moi)
    services.ouvrir_deliberation(Appel.objects.get(pk=jury.appel_id), par=gestionnaire)
    journal_avant = Evenement.objects.filter(type="notes_enregistrees").count()
    client.force_login(moi.utilisateur)

    reponse = client.post(
        reverse("evaluation:jury_noter", args=[candidature.pk]),
        _donnees_notes(candidature, [5, 5]),
    )

    assert reponse.status_code == 409
    assert escape(NOTATION_CLOSE) in reponse.content.decode()
    apres = Evaluation.objects.get(affectation__membre=moi)
    assert (apres.total_sur_20, apres.commentaire, apres.modifiee_le) == (
        12.0,
        "Projet solide",
        avant.modifiee_le,
    )
    assert sorted(Note.objects.filter(evaluation=apres).values_list("valeur", flat=True)) == [
        3,
        6,
    ]
    assert Evenement.objects.filter(type="notes_enregistrees").count() == journal_avant


def test_conflit_declare_apres_l_ouverture_de_la_deliberation_refuse_la_note_reste(
    jury, candidature, gestionnaire
):
    membre_note(jury, candidature, [3, 6])
    moi = membre_note(jury, candidature, [5, 5])
    services.ouvrir_deliberation(Appel.objects.get(pk=jury.appel_id), par=gestionnaire)

    with pytest.raises(ActionImpossible) as refus:
        _declarer_un_conflit(candidature, moi)

    assert refus.value.message == (
        "Les conflits d'intérêts se déclarent pendant la notation : l'appel est "
        "« En délibération »."
    )
    assert _agregats(jury.appel) == [("CCAS de Houplines", 1, 14.75, 14.75, 2.75, 2, 0)]


def test_un_conflit_declare_ne_se_retire_pas(jury, candidature):
    moi = membre_sans_conflit(jury, candidature)
    _declarer_un_conflit(candidature, moi)

    with pytest.raises(ActionImpossible) as refus:
        services.declarer_conflit(candidature, par=moi.utilisateur, en_conflit=False)

    assert refus.value.message == (
        "Votre conflit d'intérêts avec CCAS de Houplines est déclaré : il ne se retire pas."
    )
    assert list(ConflitInterets.objects.filter(membre=moi).values_list("en_conflit", "type")) == [
        (True, "famille")
    ]


def test_conflit_decouvert_en_lisant_se_declare_depuis_la_page_de_la_candidature(
    client, jury, candidature
):
    moi = membre_sans_conflit(jury, candidature)
    client.force_login(moi.utilisateur)
    url = reverse("evaluation:jury_declarer", args=[candidature.pk])
    page = client.get(reverse("evaluation:jury_candidature", args=[candidature.pk]))
    assert "Déclarer un conflit d'intérêts</button>" in page.content.decode()

    sans_type = client.post(url, {"conflit": "oui", "precision": "Mon frère y travaille"})
    assert sans_type.status_code == 400
    assert "Précisez le type de conflit d&#x27;intérêts." in sans_type.content.decode()
    assert "Mon frère y travaille" in sans_type.content.decode()

    reponse = client.post(
        url, {"conflit": "oui", "type": "famille", "precision": "Mon frère y travaille"}
    )
    assert reponse.status_code == 302
    assert list(
        ConflitInterets.objects.filter(membre=moi).values_list("en_conflit", "type", "precision")
    ) == [(True, "famille", "Mon frère y travaille")]
