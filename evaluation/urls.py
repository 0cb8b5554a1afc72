from django.urls import path

from evaluation.views import gestion, jury, resultats

app_name = "evaluation"

urlpatterns = [
    # Espace des membres du jury
    path("jury/", jury.accueil, name="jury_accueil"),
    path("jury/candidatures/<int:pk>/", jury.candidature, name="jury_candidature"),
    path("jury/candidatures/<int:pk>/declarer/", jury.declarer, name="jury_declarer"),
    path("jury/candidatures/<int:pk>/noter/", jury.noter, name="jury_noter"),
    path(
        "jury/candidatures/<int:pk>/pieces/<int:piece_pk>/",
        jury.piece_jointe,
        name="jury_piece_jointe",
    ),
    # Back office
    path("gestion/appels/<int:pk>/jury/", gestion.jury, name="gestion_jury"),
    path("gestion/appels/<int:pk>/jury/preparer/", gestion.preparer, name="gestion_preparer"),
    path("gestion/appels/<int:pk>/jury/reglages/", gestion.regler, name="gestion_regler"),
    path("gestion/appels/<int:pk>/jury/membres/", gestion.ajouter_membre, name="gestion_membre"),
    path("gestion/appels/<int:pk>/jury/affecter/", gestion.affecter, name="gestion_affecter"),
    path(
        "gestion/appels/<int:pk>/jury/candidatures/<int:candidature_pk>/affecter/",
        gestion.ajouter_affectation,
        name="gestion_ajouter_affectation",
    ),
    path(
        "gestion/appels/<int:pk>/jury/affectations/<int:affectation_pk>/retirer/",
        gestion.retirer_affectation,
        name="gestion_retirer_affectation",
    ),
    path(
        "gestion/appels/<int:pk>/jury/<slug:etape>/",
        gestion.changer_etape,
        name="gestion_etape",
    ),
    path("gestion/appels/<int:pk>/grille/", gestion.grille, name="gestion_grille"),
    path("gestion/appels/<int:pk>/classement/", gestion.classement, name="gestion_classement"),
    path(
        "gestion/appels/<int:pk>/deliberation/", gestion.deliberation, name="gestion_deliberation"
    ),
    path(
        "gestion/appels/<int:pk>/deliberation/seance/",
        gestion.enregistrer_seance,
        name="gestion_seance",
    ),
    path(
        "gestion/appels/<int:pk>/deliberation/decisions/",
        gestion.enregistrer_decisions,
        name="gestion_decisions",
    ),
    path("gestion/appels/<int:pk>/deliberation/publier/", gestion.publier, name="gestion_publier"),
    path(
        "gestion/appels/<int:pk>/deliberation/promouvoir/",
        resultats.promouvoir,
        name="gestion_promouvoir",
    ),
    path(
        "gestion/appels/<int:pk>/liste-attente/",
        resultats.liste_attente,
        name="gestion_liste_attente",
    ),
    path(
        "gestion/candidatures/<int:pk>/retirer-laureat/",
        resultats.gestion_retirer_laureat,
        name="gestion_retirer_laureat",
    ),
    # Côté structure (et lettre : structure ou gestionnaires du programme)
    path(
        "candidatures/<int:pk>/lettre-de-decision.pdf",
        resultats.lettre,
        name="lettre_decision",
    ),
    path(
        "candidatures/<int:pk>/retirer-laureat/",
        resultats.retirer_laureat,
        name="retirer_laureat",
    ),
    path(
        "gestion/appels/<int:pk>/deliberation/proces-verbal.pdf",
        gestion.proces_verbal,
        name="gestion_proces_verbal",
    ),
]
