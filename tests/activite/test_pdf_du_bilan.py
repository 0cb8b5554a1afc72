"""Le PDF du bilan : une seule mise en page par version des données et par public, servie
ensuite depuis le stockage ; un grand bilan préparé par le worker ; un seul rendu à la fois par
personne.

Les mises en page se comptent sur WeasyPrint (fixture `mises_en_page`) ; les chiffres se lisent
dans le texte du PDF (pypdf)."""

import datetime
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from activite import services
from activite.models import PdfDuBilan
from activite.pdf_du_bilan import version_du_pdf
from noyau.rendu_pdf import un_rendu_a_la_fois
from tests.activite.jeu_de_donnees import construire
from tests.candidatures.factories import AppelFactory, CandidatureFactory
from tests.factories import UtilisateurFactory
from tests.taches import taches_celery

pytestmark = pytest.mark.django_db


def _taches(settings, *, immediates):
    with taches_celery(settings, immediates=immediates):
        yield


@pytest.fixture
def taches_immediates(settings):
    yield from _taches(settings, immediates=True)


@pytest.fixture
def taches_en_file(settings):
    """Les tâches partent vraiment vers le broker, quoi qu'un test d'avant ait laissé."""
    yield from _taches(settings, immediates=False)


@pytest.fixture
def cohorte():
    appel, structures = construire()
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    appel.programme.gestionnaires.add(gestionnaire)
    observateur = UtilisateurFactory(observateur=True)
    return appel, structures, gestionnaire, observateur


def _pdf(client, appel):
    return client.get(reverse("activite:bilan_pdf", args=[appel.slug]))


def _contenu(reponse):
    assert (reponse.status_code, reponse["Content-Type"]) == (200, "application/pdf")
    return reponse.getvalue()


def _texte(contenu):
    """Le texte de la première page : les chiffres de la cohorte, un libellé puis sa valeur."""
    assert contenu[:5] == b"%PDF-"
    return PdfReader(io.BytesIO(contenu)).pages[0].extract_text()


def _fichiers_rendus(settings, appel):
    dossier = Path(settings.MEDIA_ROOT) / "bilans" / str(appel.pk)
    return sorted(f.name for f in dossier.iterdir())


def _etat(client, appel):
    reponse = client.get(reverse("activite:bilan_pdf_etat", args=[appel.slug]))
    assert reponse.status_code == 200
    return json.loads(reponse.content)["etat"]


def test_six_demandes_une_seule_mise_en_page_puis_une_autre_apres_une_saisie(
    client, cohorte, mises_en_page, settings, django_capture_on_commit_callbacks
):
    appel, structures, gestionnaire, _observateur = cohorte
    client.force_login(gestionnaire)

    contenus = [_contenu(_pdf(client, appel)) for _ in range(6)]

    assert len(mises_en_page) == 1
    assert contenus == [contenus[0]] * 6
    assert "Personnes accompagnées\n6\n" in _texte(contenus[0])
    assert "Liste d'attente\n7\n" in _texte(contenus[0])

    services.enregistrer_liste_attente(
        structures["a"], par=None, date=datetime.date(2023, 9, 1), nombre=31
    )
    with django_capture_on_commit_callbacks(execute=True):
        apres = _contenu(_pdf(client, appel))
    encore = _contenu(_pdf(client, appel))

    assert len(mises_en_page) == 2
    assert "Liste d'attente\n31\n" in _texte(apres)
    assert encore == apres
    # Le PDF de la version dépassée a quitté le stockage.
    assert len(_fichiers_rendus(settings, appel)) == 1


def test_l_observateur_n_a_jamais_le_pdf_du_gestionnaire(client, cohorte, mises_en_page):
    appel, _structures, gestionnaire, observateur = cohorte

    client.force_login(gestionnaire)
    detaille = _contenu(_pdf(client, appel))
    client.force_login(observateur)
    masque = _contenu(_pdf(client, appel))
    client.force_login(gestionnaire)
    detaille_encore = _contenu(_pdf(client, appel))
    client.force_login(observateur)
    masque_encore = _contenu(_pdf(client, appel))

    assert len(mises_en_page) == 2
    assert (detaille_encore, masque_encore) == (detaille, masque)
    assert "Référents formés\n3\n" in _texte(detaille)
    assert "< 5" not in _texte(detaille)
    assert "Référents formés\n< 5\n" in _texte(masque)
    assert sorted(PdfDuBilan.objects.values_list("public", flat=True)) == ["detaille", "masque"]
    assert len({pdf.fichier.name for pdf in PdfDuBilan.objects.all()}) == 2


def test_un_grand_bilan_est_prepare_une_fois_par_le_worker(
    client,
    cohorte,
    mises_en_page,
    settings,
    taches_immediates,
    django_capture_on_commit_callbacks,
):
    settings.RELAIS_BILAN_PDF_SEUIL_STRUCTURES = 2
    appel, _structures, _gestionnaire, observateur = cohorte
    client.force_login(observateur)

    with django_capture_on_commit_callbacks() as taches:
        reponses = [_pdf(client, appel) for _ in range(6)]

    assert [r.status_code for r in reponses] == [202] * 6
    assert "Le PDF est en préparation…" in reponses[0].content.decode()
    assert len(taches) == 1
    assert (mises_en_page, _etat(client, appel)) == ([], "en_preparation")

    taches[0]()

    assert (len(mises_en_page), _etat(client, appel)) == (1, "pret")
    texte = _texte(_contenu(_pdf(client, appel)))
    # The observer's file: 6 people, all in cells of fewer than five, so masked as a total.
    assert "Personnes accompagnées\nmasqué\n" in texte
    assert "Référents formés\n< 5\n" in texte
    assert "Âge moyen\n55,4\n" in texte
    assert len(mises_en_page) == 1


def test_une_preparation_abandonnee_par_le_worker_est_relancee(
    client, cohorte, settings, django_capture_on_commit_callbacks
):
    settings.RELAIS_BILAN_PDF_SEUIL_STRUCTURES = 2
    appel, _structures, _gestionnaire, observateur = cohorte
    client.force_login(observateur)
    with django_capture_on_commit_callbacks() as premieres:
        _pdf(client, appel)
    # Le worker a été tué pendant le rendu : la réservation reste, sans fichier.
    PdfDuBilan.objects.update(
        demande_le=timezone.now() - timedelta(seconds=settings.RELAIS_BILAN_PDF_DELAI_DE_RENDU + 1)
    )

    assert _etat(client, appel) == "a_demander"
    with django_capture_on_commit_callbacks() as relances:
        reponse = _pdf(client, appel)
        _pdf(client, appel)

    assert (len(premieres), len(relances), reponse.status_code) == (1, 1, 202)
    assert _etat(client, appel) == "en_preparation"
    assert PdfDuBilan.objects.count() == 1


def test_un_fichier_disparu_du_stockage_est_rendu_a_nouveau(client, cohorte, mises_en_page):
    appel, _structures, gestionnaire, _observateur = cohorte
    client.force_login(gestionnaire)
    _contenu(_pdf(client, appel))
    pdf = PdfDuBilan.objects.get()
    pdf.fichier.storage.delete(pdf.fichier.name)

    texte = _texte(_contenu(_pdf(client, appel)))

    assert len(mises_en_page) == 2
    assert "Personnes accompagnées\n6\n" in texte
    assert PdfDuBilan.objects.count() == 1


def test_une_personne_ne_fait_qu_un_rendu_a_la_fois(client, cohorte, mises_en_page):
    appel, _structures, _gestionnaire, observateur = cohorte
    autre_appel = AppelFactory(clos=True, slug="autre-appel")
    CandidatureFactory(appel=autre_appel, retenue=True)
    client.force_login(observateur)

    # Pendant que l'observateur a un rendu en cours (le PDF de l'autre appel, dans une autre
    # requête) : le sien ne part pas, et on lui dit pourquoi.
    with un_rendu_a_la_fois(observateur):
        refus = _pdf(client, appel)
        # Une autre personne n'attend pas après lui.
        client.force_login(UtilisateurFactory(observateur=True))
        autre = _pdf(client, autre_appel)
        client.force_login(observateur)

    assert (refus.status_code, refus["Retry-After"]) == (429, "10")
    assert "Un autre PDF est déjà en préparation pour vous." in refus.content.decode()
    assert autre.status_code == 200
    assert len(mises_en_page) == 1
    assert _contenu(_pdf(client, appel))[:5] == b"%PDF-"
    assert len(mises_en_page) == 2


def test_une_demande_attend_le_rendu_qu_une_autre_a_reserve(client, cohorte, mises_en_page):
    appel, _structures, _gestionnaire, observateur = cohorte
    client.force_login(observateur)
    # Une autre requête a réservé le rendu de cette version et le fait en ce moment.
    PdfDuBilan.objects.create(
        appel=appel, public="masque", version=version_du_pdf(appel), demande_le=timezone.now()
    )

    reponse = _pdf(client, appel)

    assert reponse.status_code == 202
    assert "Le PDF est en préparation…" in reponse.content.decode()
    assert mises_en_page == []


def test_l_etat_du_pdf_est_refuse_a_qui_n_a_pas_le_bilan(client, cohorte):
    appel, *_ = cohorte
    client.force_login(UtilisateurFactory(gestionnaire=True))

    reponse = client.get(reverse("activite:bilan_pdf_etat", args=[appel.slug]))

    assert reponse.status_code == 403
    assert PdfDuBilan.objects.count() == 0


def test_sans_broker_la_preparation_se_relance_au_lieu_d_attendre_le_delai(
    client, cohorte, settings, monkeypatch, taches_en_file, django_capture_on_commit_callbacks
):
    from kombu import Producer
    from kombu.exceptions import OperationalError

    def broker_injoignable(self, *args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    settings.RELAIS_BILAN_PDF_SEUIL_STRUCTURES = 2
    appel, _structures, _gestionnaire, observateur = cohorte
    client.force_login(observateur)
    monkeypatch.setattr(Producer, "publish", broker_injoignable)

    with django_capture_on_commit_callbacks(execute=True):
        reponse = _pdf(client, appel)

    assert reponse.status_code == 202
    assert (PdfDuBilan.objects.count(), _etat(client, appel)) == (0, "a_demander")
