from django.urls import path

from accompagnement.views import calendrier, formation, gestion, structure, suivi

app_name = "accompagnement"

urlpatterns = [
    # Coachs et gestionnaires : frise, plans, jalons, cadrage, kits
    path("accompagnement/", suivi.frise, name="frise"),
    path("accompagnement/plans/<int:pk>/", suivi.plan, name="plan"),
    path("accompagnement/plans/<int:pk>/coach/", suivi.affecter_coach, name="affecter_coach"),
    path("accompagnement/plans/<int:pk>/kits/", suivi.remettre_kit, name="remettre_kit"),
    path("accompagnement/plans/<int:pk>/cadrage/", suivi.cadrage, name="cadrage"),
    path(
        "accompagnement/plans/<int:pk>/cadrage/valider/",
        suivi.cadrage_valider,
        name="cadrage_valider",
    ),
    path("accompagnement/jalons/<int:pk>/", suivi.jalon, name="jalon"),
    path("accompagnement/jalons/<int:pk>/echeance/", suivi.jalon_echeance, name="jalon_echeance"),
    path("accompagnement/jalons/<int:pk>/preuves/", suivi.jalon_preuve, name="jalon_preuve"),
    path("accompagnement/jalons/<int:pk>/preuves/<int:preuve_pk>/", suivi.preuve, name="preuve"),
    path(
        "accompagnement/jalons/<int:pk>/<slug:action>/",
        suivi.jalon_action,
        name="jalon_action",
    ),
    # Structures : leur plan, leurs référents
    path("accompagnement/mon-plan/", structure.mes_plans, name="mes_plans"),
    path("accompagnement/plans/<int:pk>/referents/", structure.referents, name="referents"),
    # Formations
    path("accompagnement/sessions/", formation.sessions, name="sessions"),
    path("accompagnement/sessions/<int:pk>/inscrire/", formation.inscrire, name="inscrire"),
    path(
        "accompagnement/sessions/<int:pk>/desinscrire/",
        formation.desinscrire,
        name="desinscrire",
    ),
    path("accompagnement/sessions/<int:pk>/emargement/", formation.emargement, name="emargement"),
    path(
        "accompagnement/sessions/<int:pk>/attestations/<int:referent_pk>.pdf",
        formation.attestation,
        name="attestation",
    ),
    # Calendrier
    path("calendrier/", calendrier.page, name="calendrier"),
    path("calendrier/nouvelle-adresse/", calendrier.regenerer, name="calendrier_regenerer"),
    path("calendrier/<str:signe>.ics", calendrier.flux, name="calendrier_flux"),
    # Back office
    path("gestion/accompagnement/", gestion.accueil, name="gestion_accueil"),
    path("gestion/programmes/<int:pk>/modele-jalons/", gestion.modele, name="gestion_modele"),
    path("gestion/appels/<int:pk>/cohorte/", gestion.cohorte, name="gestion_cohorte"),
    path(
        "gestion/programmes/<int:pk>/sessions/nouvelle/",
        gestion.session_nouvelle,
        name="gestion_session_nouvelle",
    ),
    path(
        "gestion/programmes/<int:pk>/sensibilisation/",
        gestion.sensibilisation,
        name="gestion_sensibilisation",
    ),
    path(
        "gestion/programmes/<int:pk>/comites/nouveau/",
        gestion.comite_nouveau,
        name="gestion_comite_nouveau",
    ),
    path("gestion/comites/<int:pk>/", gestion.comite, name="gestion_comite"),
]
