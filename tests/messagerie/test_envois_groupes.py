import pytest
from django.http import QueryDict
from django.urls import reverse

from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie import envois
from messagerie.audiences import type_d_audience
from messagerie.enums import EtatEnvoiGroupe
from messagerie.models import EnvoiGroupe, Message
from messagerie.tasks import preparer_envoi_groupe
from noyau.erreurs import ActionNonPermise, DonneesRefusees
from relances import services as services_relances
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory
from tests.taches import taches_celery

pytestmark = pytest.mark.django_db

SUJET = "Votre dossier {{ structure }}"
CORPS = "Bonjour {{ prenom }},\nLa candidature {{ reference }} ({{ etat }}) est bien reçue."


@pytest.fixture
def monde():
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    appel = AppelFactory(programme=programme, titre="AMI 2027", ouvert=True)
    ana = UtilisateurFactory(candidat=True, email="ana@a.test", first_name="Ana")
    bob = UtilisateurFactory(candidat=True, email="bob@a.test", first_name="Bob")
    cyd = UtilisateurFactory(candidat=True, email="cyd@b.test", first_name="Cyd")
    dan = UtilisateurFactory(candidat=True, email="dan@c.test", first_name="Dan")
    inactif = UtilisateurFactory(candidat=True, email="zoe@a.test", is_active=False)
    structure_a = StructureFactory(nom="CCAS A", membres=[ana, bob, inactif])
    structure_b = StructureFactory(nom="CCAS B", membres=[cyd])
    structure_c = StructureFactory(nom="CCAS C", membres=[dan])
    candidature_a = CandidatureFactory(appel=appel, structure=structure_a, deposee=True)
    candidature_b = CandidatureFactory(appel=appel, structure=structure_b, deposee=True)
    # Un brouillon : hors du filtre « déposée ».
    CandidatureFactory(appel=appel, structure=structure_c)
    return {
        "gestionnaire": gestionnaire,
        "programme": programme,
        "appel": appel,
        "ana": ana,
        "bob": bob,
        "cyd": cyd,
        "candidature_a": candidature_a,
        "candidature_b": candidature_b,
    }


def _audience(appel, requete="etat=deposee&tri=structure"):
    return type_d_audience("candidatures").audience(appel, QueryDict(requete))


def _creer(monde, requete="etat=deposee&tri=structure", sujet=SUJET, corps=CORPS):
    return envois.creer_envoi(
        _audience(monde["appel"], requete),
        code="candidatures",
        parametres={"etat": ["deposee"]},
        par=monde["gestionnaire"],
        sujet=sujet,
        corps=corps,
    )


def test_l_audience_reprend_les_filtres_de_la_liste_et_les_membres_actifs(monde):
    audience = _audience(monde["appel"])

    assert audience.programme == monde["programme"]
    assert audience.description == "2 candidatures de l'appel AMI 2027, état : Déposée"
    assert [d.email for d in audience.destinataires] == ["ana@a.test", "bob@a.test", "cyd@b.test"]
    assert audience.destinataires[2].valeurs == {
        "structure": "CCAS B",
        "commune": "Houplines",
        "appel": "AMI 2027",
        "reference": monde["candidature_b"].reference,
        "etat": "Déposée",
        "prenom": "Cyd",
        "nom": monde["cyd"].last_name,
    }
    assert audience.adresse_de_la_liste == (
        f"/gestion/appels/{monde['appel'].pk}/candidatures/?etat=deposee&tri=structure"
    )


def test_sans_filtre_l_audience_prend_toute_la_liste(monde):
    audience = _audience(monde["appel"], "")
    assert audience.description == "3 candidatures de l'appel AMI 2027"
    assert len(audience.destinataires) == 4


def test_un_envoi_groupe_atteint_chaque_destinataire_une_fois_par_la_boite_d_envoi(
    monde, settings, django_capture_on_commit_callbacks, mailoutbox
):
    services_relances.desactiver(monde["bob"], "envoi_groupe")
    with taches_celery(settings, immediates=True):
        with django_capture_on_commit_callbacks(execute=True):
            envoi = _creer(monde)
        # Le message de chacun part au commit de son lot.
    envoi.refresh_from_db()

    assert envoi.etat == EtatEnvoiGroupe.TERMINE
    assert (envoi.total, envoi.traites, envoi.mis_en_envoi, envoi.ignores) == (3, 3, 2, 1)
    messages = Message.objects.filter(cle__startswith=f"envoi-{envoi.pk}-").order_by("destinataire")
    assert [(m.destinataire, m.sujet, m.type, m.programme_id) for m in messages] == [
        ("ana@a.test", "Votre dossier CCAS A", "envoi_groupe", monde["programme"].pk),
        ("cyd@b.test", "Votre dossier CCAS B", "envoi_groupe", monde["programme"].pk),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@a.test", "cyd@b.test"]
    corps = messages[0].corps_texte
    assert corps.startswith(
        f"Bonjour Ana,\nLa candidature {monde['candidature_a'].reference} (Déposée) est bien "
        "reçue.\n"
    )
    assert "/relances/desabonnement/" in corps
    assert "Ne plus recevoir les messages groupés" in corps
    # Journalisé une fois à la confirmation, avec sa liste et son nombre de destinataires.
    creations = Evenement.objects.filter(type=TypeEvenement.ENVOI_GROUPE_CREE)
    assert [(e.cible_id, e.motif, e.donnees["destinataires"]) for e in creations] == [
        (envoi.pk, "2 candidatures de l'appel AMI 2027, état : Déposée", 3)
    ]


def test_la_tache_lancee_deux_fois_ne_cree_qu_un_message_par_destinataire(monde):
    envoi = _creer(monde)
    preparer_envoi_groupe.apply(kwargs={"envoi_id": envoi.pk})
    # Un envoi interrompu puis repris (worker tué) : rien n'est recréé.
    EnvoiGroupe.objects.filter(pk=envoi.pk).update(etat=EtatEnvoiGroupe.EN_COURS, traites=1)
    preparer_envoi_groupe.apply(kwargs={"envoi_id": envoi.pk})
    preparer_envoi_groupe.apply(kwargs={"envoi_id": envoi.pk})

    envoi.refresh_from_db()
    assert Message.objects.filter(cle__startswith=f"envoi-{envoi.pk}-").count() == 3
    assert (envoi.etat, envoi.traites, envoi.mis_en_envoi) == (EtatEnvoiGroupe.TERMINE, 3, 3)


def test_la_tache_avance_par_lots_et_dedoublonne_les_adresses(monde):
    # Ana est aussi membre de B : elle ne reçoit qu'un message.
    monde["candidature_b"].structure.adhesions.create(utilisateur=monde["ana"])
    envoi = _creer(monde)
    assert envoi.total == 3

    envois.preparer_les_messages(envoi.pk, taille_du_lot=2)

    envoi.refresh_from_db()
    assert (envoi.traites, envoi.mis_en_envoi) == (3, 3)
    assert sorted(Message.objects.values_list("destinataire", flat=True)) == [
        "ana@a.test",
        "bob@a.test",
        "cyd@b.test",
    ]


def test_l_apercu_montre_les_valeurs_d_un_destinataire(monde):
    audience = _audience(monde["appel"])

    premier = envois.apercu(audience, sujet=SUJET, corps=CORPS)
    troisieme = envois.apercu(audience, sujet=SUJET, corps=CORPS, rang=2)

    assert (premier.destinataire.email, premier.sujet) == ("ana@a.test", "Votre dossier CCAS A")
    assert (troisieme.destinataire.email, troisieme.sujet) == (
        "cyd@b.test",
        "Votre dossier CCAS B",
    )
    assert troisieme.corps == (
        f"Bonjour Cyd,\nLa candidature {monde['candidature_b'].reference} (Déposée) est bien reçue."
    )


@pytest.mark.parametrize(
    ("corps", "refus"),
    [
        ("Bonjour {{ inconnu }}", "Le champ {{ inconnu }} n'existe pas ; champs possibles"),
        ("{{ structure.__class__ }}", "Le modèle ne peut lire que les champs proposés"),
        ("{{ structure", "Le modèle ne peut pas être lu (ligne 1)"),
        ("{% for x in structure %}{% endfor %}", "Le modèle ne peut pas contenir de boucle."),
    ],
)
def test_un_champ_casse_ou_dangereux_est_refuse_en_francais(monde, corps, refus):
    with pytest.raises(envois.TexteRefuse) as erreur:
        _creer(monde, corps=corps)
    assert erreur.value.champ == "corps"
    assert erreur.value.message.startswith(refus)
    assert EnvoiGroupe.objects.count() == 0


def test_le_gestionnaire_d_un_autre_programme_ne_peut_pas_ecrire_a_la_liste(monde):
    autre = UtilisateurFactory(gestionnaire=True)
    ProgrammeFactory(gestionnaires=[autre])
    with pytest.raises(ActionNonPermise):
        envois.creer_envoi(
            _audience(monde["appel"]),
            code="candidatures",
            parametres={},
            par=autre,
            sujet="x",
            corps="y",
        )


def test_une_liste_vide_est_refusee(monde):
    with pytest.raises(DonneesRefusees):
        _creer(monde, requete="etat=retenue")


# --- Les pages ---------------------------------------------------------------------------


def _adresse(monde, requete="?etat=deposee&tri=structure"):
    return reverse("messagerie:ecrire", args=["candidatures", monde["appel"].pk]) + requete


def test_la_page_compte_les_destinataires_et_liste_les_champs(client, monde):
    client.force_login(monde["gestionnaire"])
    reponse = client.get(_adresse(monde))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "2 candidatures de l&#x27;appel AMI 2027, état : Déposée" in contenu
    assert "3 destinataires (une fois par adresse)." in contenu
    assert "{{ structure }}" in contenu


def test_l_apercu_puis_l_envoi_depuis_la_page(
    client, monde, settings, django_capture_on_commit_callbacks
):
    client.force_login(monde["gestionnaire"])
    reponse = client.post(
        _adresse(monde), {"sujet": SUJET, "corps": CORPS, "destinataire": "2", "apercu": ""}
    )
    assert reponse.status_code == 200
    assert reponse.context["apercu"].sujet == "Votre dossier CCAS B"
    assert EnvoiGroupe.objects.count() == 0

    with taches_celery(settings, immediates=True):
        with django_capture_on_commit_callbacks(execute=True):
            reponse = client.post(_adresse(monde), {"sujet": SUJET, "corps": CORPS, "envoyer": ""})
    envoi = EnvoiGroupe.objects.get()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("messagerie:envoi", args=[envoi.pk])
    assert envoi.parametres == {"etat": ["deposee"], "tri": ["structure"]}

    page = client.get(reverse("messagerie:envoi", args=[envoi.pk])).content.decode()
    assert "Destinataires traités : 3 sur 3." in page
    assert 'http-equiv="refresh"' not in page
    assert "progression_envoi.js" not in page
    liste = client.get(reverse("messagerie:envois")).content.decode()
    assert "Votre dossier {{ structure }}" in liste


def test_un_champ_refuse_s_affiche_a_cote_du_texte_garde(client, monde):
    client.force_login(monde["gestionnaire"])
    reponse = client.post(
        _adresse(monde), {"sujet": SUJET, "corps": "Bonjour {{ inconnu }}", "envoyer": ""}
    )
    assert reponse.status_code == 400
    assert (
        reponse.context["form"].errors["corps"][0].startswith("Le champ {{ inconnu }} n'existe pas")
    )
    assert "Bonjour {{ inconnu }}</textarea>" in reponse.content.decode()
    assert EnvoiGroupe.objects.count() == 0


def test_le_gestionnaire_d_un_autre_programme_ne_trouve_pas_la_liste(client, monde):
    envoi = _creer(monde)
    autre = UtilisateurFactory(gestionnaire=True)
    ProgrammeFactory(gestionnaires=[autre])
    client.force_login(autre)
    assert client.get(_adresse(monde)).status_code == 404
    assert client.post(_adresse(monde), {"sujet": "x", "corps": "y"}).status_code == 404
    assert client.get(reverse("messagerie:envoi", args=[envoi.pk])).status_code == 404
    assert "Votre dossier" not in client.get(reverse("messagerie:envois")).content.decode()


def test_un_candidat_n_ecrit_pas_aux_listes(client, monde):
    client.force_login(monde["ana"])
    assert client.get(_adresse(monde)).status_code == 403


def test_la_page_d_un_envoi_en_cours_suit_sa_progression_sans_meta_refresh(client, monde):
    envoi = _creer(monde)
    client.force_login(monde["gestionnaire"])
    page = client.get(reverse("messagerie:envoi", args=[envoi.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert '<div role="status" id="progression" data-en-cours="1">' in page
    assert "/static/messagerie/progression_envoi.js" in page
    assert f'<a href="/gestion/messages/envois/{envoi.pk}/">Actualiser</a>' in page
    assert "Destinataires traités : 0 sur 3." in page


def test_la_liste_du_gestionnaire_porte_le_lien_avec_ses_filtres(client, monde):
    client.force_login(monde["gestionnaire"])
    page = client.get(
        reverse("candidatures:gestion_candidatures", args=[monde["appel"].pk]) + "?etat=deposee"
    ).content.decode()
    assert f'href="{_adresse(monde, "?etat=deposee")}"' in page


def test_la_liste_des_envois_ne_fait_pas_plus_de_requetes_avec_plus_d_envois(
    client, monde, django_assert_max_num_queries
):
    client.force_login(monde["gestionnaire"])
    _creer(monde)
    with django_assert_max_num_queries(12) as une:
        client.get(reverse("messagerie:envois"))
    for _ in range(4):
        _creer(monde)
    with django_assert_max_num_queries(len(une.captured_queries)):
        reponse = client.get(reverse("messagerie:envois"))
    assert reponse.context["page"].paginator.count == 5
