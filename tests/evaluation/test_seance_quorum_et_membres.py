"""Ce que le gestionnaire rencontre en fin de parcours du jury : le quorum tenu à la
publication, une séance qui ne se date pas dans le futur, les récusations des présents au
procès-verbal, l'onglet de la délibération, et un jury qui ne s'agrandit plus une fois la
délibération ouverte."""

import datetime
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from comptes.models import Invitation
from evaluation import services
from evaluation.models import Deliberation, MembreJury
from journal.models import Evenement
from noyau.erreurs import ActionImpossible, DonneesRefusees
from programmes.enums import EtatAppel
from programmes.models import Appel
from tests.candidatures.factories import CandidatureFactory, StructureFactory
from tests.evaluation.factories import AffectationFactory, MembreJuryFactory, membre_note, noter
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _appel(jury):
    return Appel.objects.get(pk=jury.appel_id)


@pytest.fixture
def deux_candidatures(jury, gestionnaire):
    """Houplines (notée par Anne et Bruno), Leers (notée par Anne) ; Bruno a déclaré un
    conflit avec Leers ; Chloé travaille à Leers, ce que le gestionnaire a noté en l'ajoutant.
    Délibération ouverte, décisions prises."""
    houplines = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS de Houplines")
    )
    leers = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS de Leers")
    )
    anne = membre_note(
        jury, houplines, [4, 8], utilisateur__first_name="Anne", utilisateur__last_name="Roy"
    )
    AffectationFactory(membre=anne, candidature=leers)
    services.declarer_conflit(leers, par=anne.utilisateur, en_conflit=False)
    noter(leers, anne.utilisateur, [3, 5])
    bruno = membre_note(
        jury, houplines, [5, 6], utilisateur__first_name="Bruno", utilisateur__last_name="Vasseur"
    )
    AffectationFactory(membre=bruno, candidature=leers)
    services.declarer_conflit(leers, par=bruno.utilisateur, en_conflit=True, type_conflit="elu")
    chloe = MembreJuryFactory(
        jury=jury,
        structure=leers.structure,
        utilisateur__first_name="Chloé",
        utilisateur__last_name="Lefebvre",
    )
    services.ouvrir_deliberation(_appel(jury), par=gestionnaire)
    services.enregistrer_decisions(
        _appel(jury),
        par=gestionnaire,
        decisions={houplines.pk: ("retenue", ""), leers.pk: ("liste_attente", "")},
    )
    return {"houplines": houplines, "leers": leers, "anne": anne, "bruno": bruno, "chloe": chloe}


def _seance(jury, gestionnaire, presents, *, quorum, date=None):
    services.enregistrer_seance(
        _appel(jury),
        par=gestionnaire,
        date=date or timezone.now() - datetime.timedelta(hours=2),
        presents=presents,
        quorum=quorum,
        proces_verbal="Séance tenue en mairie.",
    )


def test_publication_sous_le_quorum_refusee_en_409_sans_rien_publier(
    client, jury, gestionnaire, deux_candidatures, mailoutbox
):
    _seance(jury, gestionnaire, [deux_candidatures["anne"]], quorum=2)
    client.force_login(gestionnaire)

    reponse = client.post(reverse("evaluation:gestion_publier", args=[jury.appel_id]))

    assert reponse.status_code == 409
    assert (
        escape(
            "Quorum non atteint : 1 membre présent pour un quorum de 2. Les résultats ne se "
            "publient pas ; enregistrez les présents de la séance."
        )
        in reponse.content.decode()
    )
    assert _appel(jury).etat == EtatAppel.EN_DELIBERATION
    assert set(Candidature.objects.values_list("etat", flat=True)) == {EtatCandidature.RECEVABLE}
    assert Deliberation.objects.get(appel_id=jury.appel_id).publiee_le is None
    assert mailoutbox == []


def test_publication_sans_aucun_present_enregistre_refusee(
    client, jury, gestionnaire, deux_candidatures
):
    client.force_login(gestionnaire)

    reponse = client.post(reverse("evaluation:gestion_publier", args=[jury.appel_id]))

    assert reponse.status_code == 409
    assert escape("Quorum non atteint : 0 membre présent pour un quorum de 1.") in (
        reponse.content.decode()
    )
    assert _appel(jury).etat == EtatAppel.EN_DELIBERATION


def test_publication_au_quorum_passe(client, jury, gestionnaire, deux_candidatures):
    _seance(jury, gestionnaire, [deux_candidatures["anne"], deux_candidatures["bruno"]], quorum=2)
    client.force_login(gestionnaire)

    reponse = client.post(reverse("evaluation:gestion_publier", args=[jury.appel_id]))

    assert reponse.status_code == 302
    assert _appel(jury).etat == EtatAppel.DECIDE


def test_seance_datee_dans_le_futur_refusee_a_cote_du_champ(
    client, jury, gestionnaire, deux_candidatures
):
    client.force_login(gestionnaire)
    demain = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    reponse = client.post(
        reverse("evaluation:gestion_seance", args=[jury.appel_id]),
        {
            "date": demain,
            "presents": [deux_candidatures["anne"].pk],
            "quorum": "1",
            "proces_verbal": "Écrit d'avance",
        },
    )

    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert (
        escape("La séance ne peut pas être datée dans le futur : enregistrez-la une fois tenue.")
        in page
    )
    assert f'value="{demain}"' in page
    deliberation = Deliberation.objects.get(appel_id=jury.appel_id)
    assert (deliberation.date, deliberation.proces_verbal) == (None, "")


def test_seance_datee_dans_le_futur_refusee_par_le_service(jury, gestionnaire, deux_candidatures):
    with pytest.raises(DonneesRefusees):
        _seance(
            jury,
            gestionnaire,
            [deux_candidatures["anne"]],
            quorum=1,
            date=timezone.now() + datetime.timedelta(minutes=5),
        )
    assert Deliberation.objects.get(appel_id=jury.appel_id).date is None


def _texte_pdf(contenu):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)


def test_presents_en_conflit_recuses_et_listes_au_proces_verbal(
    client, jury, gestionnaire, deux_candidatures
):
    from evaluation.models import Recusation

    d = deux_candidatures
    client.force_login(gestionnaire)
    heure = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")

    reponse = client.post(
        reverse("evaluation:gestion_seance", args=[jury.appel_id]),
        {
            "date": heure,
            "presents": [d["anne"].pk, d["bruno"].pk, d["chloe"].pk],
            "quorum": "3",
            "proces_verbal": "Séance tenue en mairie.",
        },
    )

    assert reponse.status_code == 302
    assert sorted(
        Recusation.objects.values_list("membre__utilisateur__first_name", "candidature", "motif")
    ) == [
        (
            "Bruno",
            d["leers"].pk,
            "conflit d'intérêts déclaré (élu ou élue de la commune ou de la structure)",
        ),
        ("Chloé", d["leers"].pk, "travaille dans la structure"),
    ]
    evenement = Evenement.objects.get(type="seance_enregistree")
    assert evenement.donnees["recusations"] == sorted(
        [[d["bruno"].pk, d["leers"].pk], [d["chloe"].pk, d["leers"].pk]]
    )
    pdf = client.get(reverse("evaluation:gestion_proces_verbal", args=[jury.appel_id]))
    texte = " ".join(_texte_pdf(pdf.content).split())
    assert "Récusations en séance" in texte
    assert (
        "CCAS de Leers : Bruno Vasseur (conflit d'intérêts déclaré (élu ou élue de la commune "
        "ou de la structure)) ; Chloé Lefebvre (travaille dans la structure)" in texte
    )
    assert "CCAS de Houplines : aucune" in texte


# --- L'onglet « Délibération » -------------------------------------------------------------


class _Liens(HTMLParser):
    def __init__(self):
        super().__init__()
        self.textes = []
        self._dans_un_lien = False

    def handle_starttag(self, balise, attributs):
        self._dans_un_lien = balise == "a"

    def handle_endtag(self, balise):
        self._dans_un_lien = False

    def handle_data(self, texte):
        if self._dans_un_lien and texte.strip():
            self.textes.append(texte.strip())


def _liens(reponse):
    lecteur = _Liens()
    lecteur.feed(reponse.content.decode())
    return lecteur.textes


def test_onglet_deliberation_absent_avant_son_ouverture_puis_present(
    client, jury, gestionnaire, candidature
):
    client.force_login(gestionnaire)
    pages = [
        reverse("evaluation:gestion_jury", args=[jury.appel_id]),
        reverse("evaluation:gestion_grille", args=[jury.appel_id]),
        reverse("evaluation:gestion_classement", args=[jury.appel_id]),
        reverse("candidatures:gestion_appel", args=[jury.appel_id]),
    ]
    for page in pages:
        assert "Délibération" not in _liens(client.get(page)), page

    services.ouvrir_deliberation(_appel(jury), par=gestionnaire)

    for page in pages:
        assert "Délibération" in _liens(client.get(page)), page
    assert (
        client.get(reverse("evaluation:gestion_deliberation", args=[jury.appel_id])).status_code
        == 200
    )


# --- Un jury qui ne s'agrandit plus ----------------------------------------------------------


@pytest.mark.parametrize("etat", [EtatAppel.EN_DELIBERATION, EtatAppel.DECIDE, EtatAppel.ARCHIVE])
def test_membre_ajoute_apres_l_ouverture_de_la_deliberation_refuse_sans_invitation(
    client, jury, gestionnaire, mailoutbox, django_capture_on_commit_callbacks, etat
):
    Appel.objects.filter(pk=jury.appel_id).update(etat=etat)
    client.force_login(gestionnaire)

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("evaluation:gestion_membre", args=[jury.appel_id]),
            {"email": "nouvelle@exemple.test"},
        )

    assert reponse.status_code == 409
    libelle = dict(EtatAppel.choices)[etat]
    assert (
        escape(
            f"Le jury ne s'agrandit plus : l'appel est « {libelle} ». Un membre s'ajoute "
            "jusqu'à l'ouverture de la délibération."
        )
        in reponse.content.decode()
    )
    assert MembreJury.objects.filter(email="nouvelle@exemple.test").count() == 0
    assert Invitation.objects.filter(email="nouvelle@exemple.test").count() == 0
    assert mailoutbox == []
    assert Evenement.objects.filter(type="membre_jury_ajoute").count() == 0
    page = client.get(reverse("evaluation:gestion_jury", args=[jury.appel_id])).content.decode()
    assert "Ajouter au jury" not in page


@pytest.mark.parametrize("etat", [EtatAppel.CLOS, EtatAppel.EN_EVALUATION])
def test_membre_ajoute_avant_la_deliberation_invite(
    client, jury, gestionnaire, mailoutbox, django_capture_on_commit_callbacks, etat
):
    Appel.objects.filter(pk=jury.appel_id).update(etat=etat)
    client.force_login(gestionnaire)

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("evaluation:gestion_membre", args=[jury.appel_id]),
            {"email": "nouvelle@exemple.test"},
        )

    assert reponse.status_code == 302
    assert MembreJury.objects.filter(email="nouvelle@exemple.test").count() == 1
    assert [courriel.to for courriel in mailoutbox] == [["nouvelle@exemple.test"]]


def test_compte_existant_ajoute_apres_la_decision_refuse(jury, gestionnaire):
    Appel.objects.filter(pk=jury.appel_id).update(etat=EtatAppel.DECIDE)
    compte = UtilisateurFactory(email="deja@exemple.test")

    with pytest.raises(ActionImpossible):
        services.ajouter_membre(jury, par=gestionnaire, email=compte.email)
    assert not compte.groups.filter(name="membre_jury").exists()
