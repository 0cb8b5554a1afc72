"""Les webhooks d'un programme, par ses gestionnaires : adresses refusées (https, pas de
réseau interne), pages et droits, journal de chaque écriture."""

import pytest
from django.urls import reverse

from candidatures.services import clore_appel
from crochets import services, tasks
from crochets.adresses import AdresseRefusee, verifier_adresse
from crochets.models import Abonnement, EtatLivraison, Livraison
from journal.enums import TypeEvenement
from journal.models import Evenement
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

HTTPS = "L'adresse d'un webhook doit commencer par https://."


def _prive(hote):
    return (
        f"L'adresse « {hote} » mène à un réseau privé ou local : Relais n'envoie de webhook "
        "qu'à une adresse publique."
    )


@pytest.fixture
def production(settings):
    """Les réglages hors DEBUG : https seul, aucune adresse privée."""
    settings.CROCHETS_HTTP_PERMIS = False
    settings.CROCHETS_ADRESSES_PRIVEES_PERMISES = False


@pytest.fixture
def abonnement(programme, gestionnaire):
    return services.creer_abonnement(
        programme,
        par=gestionnaire,
        url="https://partenaire.exemple.test/relais",
        evenements=["appel.clos", "candidature.deposee"],
    )


# --- Adresses refusées (SSRF) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.216.34/relais", HTTPS),
        ("ftp://93.184.216.34/relais", HTTPS),
        ("https://utilisateur:motdepasse@93.184.216.34/", None),
        ("https://127.0.0.1/relais", _prive("127.0.0.1")),
        ("https://10.1.2.3:8443/relais", _prive("10.1.2.3")),
        ("https://192.168.0.10/relais", _prive("192.168.0.10")),
        ("https://169.254.169.254/latest/meta-data/", _prive("169.254.169.254")),
        ("https://[::1]/relais", _prive("::1")),
        ("https://[::ffff:10.0.0.1]/relais", _prive("::ffff:10.0.0.1")),
        ("https://localhost/relais", _prive("localhost")),
        ("https://0.0.0.0/relais", _prive("0.0.0.0")),
    ],
)
def test_adresses_refusees_hors_debug(production, url, message):
    with pytest.raises(AdresseRefusee) as refus:
        verifier_adresse(url)
    if message:
        assert refus.value.message == message
    else:
        assert refus.value.message == (
            "L'adresse d'un webhook ne contient ni identifiant ni mot de passe."
        )


def test_une_adresse_publique_en_https_est_acceptee(production):
    verifier_adresse("https://93.184.216.34:8443/relais?jeton=1")


def test_http_et_adresse_locale_permis_par_les_reglages_de_developpement(settings):
    settings.CROCHETS_HTTP_PERMIS = True
    settings.CROCHETS_ADRESSES_PRIVEES_PERMISES = True
    verifier_adresse("http://127.0.0.1:8000/recepteur")


def test_une_adresse_devenue_privee_n_est_pas_appelee_a_l_envoi(
    programme, gestionnaire, settings, recepteur
):
    settings.CROCHETS_DELAIS_DES_TENTATIVES = []
    abonnement = services.creer_abonnement(
        programme, par=gestionnaire, url=recepteur.url, evenements=["appel.clos"]
    )
    livraison = services.envoyer_test(abonnement, par=gestionnaire)
    settings.CROCHETS_HTTP_PERMIS = False

    tasks.livrer(livraison_id=livraison.pk)

    livraison.refresh_from_db()
    assert recepteur.requetes == []
    assert (livraison.etat, livraison.dernier_statut_http, livraison.derniere_erreur) == (
        EtatLivraison.ECHOUEE,
        None,
        HTTPS,
    )


def test_le_formulaire_refuse_une_adresse_privee_a_cote_du_champ(
    client, production, programme, gestionnaire
):
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("crochets:webhooks", args=[programme.pk]),
        {"url": "https://169.254.169.254/latest", "evenements": ["appel.clos"]},
    )

    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {"url": [_prive("169.254.169.254")]}
    assert reponse.context["form"].data["url"] == "https://169.254.169.254/latest"
    assert Abonnement.objects.count() == 0
    assert Evenement.objects.filter(type=TypeEvenement.WEBHOOK_CREE).count() == 0


def test_le_formulaire_exige_un_evenement(client, programme, gestionnaire):
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("crochets:webhooks", args=[programme.pk]),
        {"url": "https://partenaire.exemple.test/relais"},
    )

    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {"evenements": ["Choisissez au moins un événement."]}
    assert Abonnement.objects.count() == 0


def test_le_service_refuse_un_evenement_inconnu_ou_le_ping(programme, gestionnaire):
    for evenements in ([], ["ping"], ["appel.clos", "inconnu"]):
        with pytest.raises(DonneesRefusees) as refus:
            services.creer_abonnement(
                programme,
                par=gestionnaire,
                url="https://partenaire.exemple.test/relais",
                evenements=evenements,
            )
        assert refus.value.message == "Choisissez au moins un événement parmi ceux proposés."


# --- Pages ----------------------------------------------------------------------------------


def test_ajouter_un_webhook_depuis_la_page_du_programme(client, programme, gestionnaire):
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("crochets:webhooks", args=[programme.pk]),
        {
            "url": "https://partenaire.exemple.test/relais",
            "evenements": ["candidature.deposee", "plan.clos"],
        },
    )

    abonnement = Abonnement.objects.get()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("crochets:webhook", args=[abonnement.pk])
    assert (abonnement.programme, abonnement.url, abonnement.evenements, abonnement.actif) == (
        programme,
        "https://partenaire.exemple.test/relais",
        ["candidature.deposee", "plan.clos"],
        True,
    )
    assert len(abonnement.secret) == 64
    int(abonnement.secret, 16)
    assert abonnement.cree_par == gestionnaire
    evenement = Evenement.objects.get(type=TypeEvenement.WEBHOOK_CREE)
    assert (evenement.acteur, evenement.cible, evenement.donnees) == (
        gestionnaire,
        programme,
        {
            "webhook": abonnement.pk,
            "url": "https://partenaire.exemple.test/relais",
            "evenements": ["candidature.deposee", "plan.clos"],
        },
    )
    page = client.get(reponse["Location"]).content.decode()
    assert abonnement.secret in page
    assert "Aucune livraison pour l'instant." in page


def test_modifier_desactiver_un_webhook(client, abonnement, gestionnaire):
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("crochets:webhook", args=[abonnement.pk]),
        {"url": abonnement.url, "evenements": ["plan.clos"]},
    )

    assert reponse.status_code == 302
    abonnement.refresh_from_db()
    assert (abonnement.evenements, abonnement.actif) == (["plan.clos"], False)
    evenement = Evenement.objects.get(type=TypeEvenement.WEBHOOK_MODIFIE)
    assert evenement.donnees == {
        "webhook": abonnement.pk,
        "evenements": ["plan.clos"],
        "actif": False,
    }


def test_regenerer_le_secret(client, abonnement, gestionnaire):
    ancien = abonnement.secret
    client.force_login(gestionnaire)

    reponse = client.post(reverse("crochets:webhook_secret", args=[abonnement.pk]))

    assert reponse.status_code == 302
    abonnement.refresh_from_db()
    assert abonnement.secret != ancien
    evenement = Evenement.objects.get(type=TypeEvenement.WEBHOOK_SECRET_REGENERE)
    assert evenement.donnees == {"webhook": abonnement.pk}
    assert ancien not in str(evenement.donnees)


def test_supprimer_un_webhook_garde_sa_trace_au_journal(client, abonnement, gestionnaire):
    client.force_login(gestionnaire)
    services.envoyer_test(abonnement, par=gestionnaire)
    pk = abonnement.pk

    reponse = client.post(reverse("crochets:webhook_supprimer", args=[pk]))

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("crochets:webhooks", args=[abonnement.programme_id])
    assert Abonnement.objects.count() == 0
    assert Livraison.objects.count() == 0
    evenement = Evenement.objects.get(type=TypeEvenement.WEBHOOK_SUPPRIME)
    assert (evenement.cible, evenement.donnees) == (
        abonnement.programme,
        {
            "webhook": pk,
            "url": "https://partenaire.exemple.test/relais",
            "evenements": ["candidature.deposee", "appel.clos"],  # dans l'ordre du catalogue
            "livraisons": 1,
        },
    )


def test_envoyer_un_test_puis_le_voir_dans_le_journal_des_livraisons(
    client, abonnement, gestionnaire
):
    client.force_login(gestionnaire)

    reponse = client.post(reverse("crochets:webhook_tester", args=[abonnement.pk]), follow=True)

    livraison = Livraison.objects.get()
    assert (livraison.evenement, livraison.etat) == ("ping", EtatLivraison.EN_ATTENTE)
    page = reponse.content.decode()
    assert "Le test (ping) part dans un instant" in page
    assert "Test (ping)" in page
    assert "En attente" in page


def test_renvoyer_depuis_le_journal(client, abonnement, gestionnaire):
    livraison = services.envoyer_test(abonnement, par=gestionnaire)
    Livraison.objects.filter(pk=livraison.pk).update(etat=EtatLivraison.ECHOUEE, tentatives=6)
    client.force_login(gestionnaire)

    reponse = client.post(reverse("crochets:livraison_renvoyer", args=[livraison.pk]))

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("crochets:webhook", args=[abonnement.pk])
    nouvelle = Livraison.objects.exclude(pk=livraison.pk).get()
    assert (nouvelle.renvoi_de_id, nouvelle.etat, nouvelle.tentatives) == (
        livraison.pk,
        EtatLivraison.EN_ATTENTE,
        0,
    )
    assert Evenement.objects.filter(type=TypeEvenement.WEBHOOK_LIVRAISON_RENVOYEE).count() == 1


def test_une_livraison_en_cours_ne_se_renvoie_pas(client, abonnement, gestionnaire):
    livraison = services.envoyer_test(abonnement, par=gestionnaire)
    client.force_login(gestionnaire)

    reponse = client.post(reverse("crochets:livraison_renvoyer", args=[livraison.pk]))

    assert reponse.status_code == 409
    assert "Cette livraison est encore en cours" in reponse.content.decode()
    assert Livraison.objects.count() == 1


def test_un_webhook_desactive_ne_renvoie_pas_un_evenement(abonnement, gestionnaire, appel):
    clore_appel(appel, par=gestionnaire)
    livraison = Livraison.objects.get()
    Livraison.objects.update(etat=EtatLivraison.ECHOUEE)
    livraison.refresh_from_db()
    services.modifier_abonnement(
        abonnement, par=gestionnaire, url=abonnement.url, evenements=["appel.clos"], actif=False
    )

    with pytest.raises(ActionImpossible) as refus:
        services.renvoyer(livraison, par=gestionnaire)

    assert refus.value.message == "Ce webhook est désactivé : activez-le avant de renvoyer."


def test_le_journal_des_livraisons_est_pagine(client, abonnement, gestionnaire):
    for _numero in range(27):
        services.envoyer_test(abonnement, par=gestionnaire)
    client.force_login(gestionnaire)

    premiere = client.get(reverse("crochets:webhook", args=[abonnement.pk]))
    seconde = client.get(reverse("crochets:webhook", args=[abonnement.pk]), {"page": 2})

    assert len(premiere.context["page"].object_list) == 25
    assert len(seconde.context["page"].object_list) == 2
    assert "27 livraisons" in premiere.content.decode()


def test_le_lien_vers_les_webhooks_est_sur_la_page_des_programmes(client, programme, gestionnaire):
    client.force_login(gestionnaire)

    page = client.get(reverse("accompagnement:gestion_accueil")).content.decode()

    assert reverse("crochets:webhooks", args=[programme.pk]) in page


# --- Droits ---------------------------------------------------------------------------------


@pytest.fixture
def comptes(programme):
    return {
        "anonyme": None,
        "candidat": UtilisateurFactory(candidat=True),
        "coach": UtilisateurFactory(coach=True),
        "autre_gestionnaire": ProgrammeFactory(
            gestionnaires=[UtilisateurFactory(gestionnaire=True)]
        ).gestionnaires.get(),
    }


ATTENDUS = {"anonyme": "connexion", "candidat": 403, "coach": 403, "autre_gestionnaire": 404}


@pytest.mark.parametrize("role", list(ATTENDUS))
def test_les_pages_et_actions_sont_aux_seuls_gestionnaires_du_programme(
    client, comptes, role, abonnement, gestionnaire
):
    livraison = services.envoyer_test(abonnement, par=gestionnaire)
    Livraison.objects.update(etat=EtatLivraison.ECHOUEE)
    if comptes[role] is not None:
        client.force_login(comptes[role])
    requetes = [
        ("get", reverse("crochets:webhooks", args=[abonnement.programme_id])),
        ("post", reverse("crochets:webhooks", args=[abonnement.programme_id])),
        ("get", reverse("crochets:webhook", args=[abonnement.pk])),
        ("post", reverse("crochets:webhook", args=[abonnement.pk])),
        ("post", reverse("crochets:webhook_secret", args=[abonnement.pk])),
        ("post", reverse("crochets:webhook_tester", args=[abonnement.pk])),
        ("post", reverse("crochets:webhook_supprimer", args=[abonnement.pk])),
        ("post", reverse("crochets:livraison_renvoyer", args=[livraison.pk])),
    ]
    secret = abonnement.secret
    for methode, adresse in requetes:
        reponse = getattr(client, methode)(
            adresse, {"url": "https://autre.exemple.test/", "evenements": ["plan.clos"]}
        )
        if ATTENDUS[role] == "connexion":
            assert reponse.status_code == 302
            assert reponse["Location"].startswith(reverse("account_login"))
        else:
            assert reponse.status_code == ATTENDUS[role], (methode, adresse)
    abonnement.refresh_from_db()
    assert (abonnement.url, abonnement.secret) == ("https://partenaire.exemple.test/relais", secret)
    assert Livraison.objects.count() == 1
    assert Abonnement.objects.count() == 1


def test_les_services_verifient_le_programme(abonnement, gestionnaire, programme):
    voisin = ProgrammeFactory(gestionnaires=[UtilisateurFactory(gestionnaire=True)])
    intrus = voisin.gestionnaires.get()
    livraison = services.envoyer_test(abonnement, par=gestionnaire)
    ecritures = [
        lambda: services.creer_abonnement(
            programme, par=intrus, url="https://a.exemple.test/", evenements=["plan.clos"]
        ),
        lambda: services.modifier_abonnement(
            abonnement, par=intrus, url=abonnement.url, evenements=["plan.clos"], actif=True
        ),
        lambda: services.regenerer_secret(abonnement, par=intrus),
        lambda: services.supprimer_abonnement(abonnement, par=intrus),
        lambda: services.envoyer_test(abonnement, par=intrus),
        lambda: services.renvoyer(livraison, par=intrus),
    ]
    for ecriture in ecritures:
        with pytest.raises(ActionNonPermise) as refus:
            ecriture()
        assert refus.value.message == "Les webhooks d'un programme se gèrent par ses gestionnaires."
    assert Abonnement.objects.count() == 1
    assert Livraison.objects.count() == 1


def test_la_page_du_webhook_dit_lisiblement_comment_verifier_la_signature(
    client, abonnement, gestionnaire
):
    """Le format de l'en-tête s'écrivait « t=<horodatage>,v1=<…> » dans le texte traduit : le
    navigateur lisait ces chevrons comme des balises et affichait « t=,v1= »."""
    client.force_login(gestionnaire)

    page = client.get(reverse("crochets:webhook", args=[abonnement.pk])).content.decode()

    assert (
        "<code>t=</code> suivi de l'horodatage (secondes Unix), une virgule, puis "
        "<code>v1=</code> suivi du HMAC-SHA256 en hexadécimal" in page.replace("&#x27;", "'")
    )
    assert "<horodatage>" not in page


def test_desactiver_le_webhook_d_un_partenaire_dont_le_nom_ne_repond_plus(
    client, gestionnaire, programme, production
):
    """Trouvé par le parcours « enregistrer sans rien changer » : l'adresse inchangée était
    revérifiée, et un nom qui ne se résout plus empêchait même de désactiver le webhook."""
    abonnement = Abonnement.objects.create(
        programme=programme,
        url="https://partenaire-disparu.invalid/relais",
        evenements=["candidature.deposee"],
        cree_par=gestionnaire,
    )
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("crochets:webhook", args=[abonnement.pk]),
        {"url": abonnement.url, "evenements": ["candidature.deposee"]},
    )
    refus = client.post(
        reverse("crochets:webhook", args=[abonnement.pk]),
        {"url": "https://autre-partenaire.invalid/", "evenements": ["candidature.deposee"]},
    )

    assert reponse.status_code == 302
    abonnement.refresh_from_db()
    assert (abonnement.actif, abonnement.url) == (
        False,
        "https://partenaire-disparu.invalid/relais",
    )
    assert refus.status_code == 400
    assert "ne mène à aucune adresse" in refus.content.decode()
