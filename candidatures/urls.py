from django.urls import path

from candidatures.views import candidat, gestion, structure, versions

app_name = "candidatures"

urlpatterns = [
    # Appels publics et candidatures (structures candidates)
    path("appels/", candidat.appels, name="appels"),
    path("appels/<slug:slug>/", candidat.appel, name="appel"),
    path("appels/<slug:slug>/candidater/", candidat.candidater, name="candidater"),
    path("candidatures/<int:pk>/", candidat.candidature, name="candidature"),
    path("candidatures/<int:pk>/formulaire/", candidat.formulaire, name="formulaire"),
    path(
        "candidatures/<int:pk>/enregistrement-automatique/",
        candidat.enregistrement_automatique,
        name="enregistrement_automatique",
    ),
    path("candidatures/<int:pk>/retirer/", candidat.retirer, name="retirer"),
    path("candidatures/<int:pk>/recepisse.pdf", candidat.recepisse_pdf, name="recepisse"),
    path(
        "candidatures/<int:pk>/pieces/<int:piece_pk>/",
        candidat.piece_jointe,
        name="piece_jointe",
    ),
    # Profil des structures
    path("structures/nouvelle/", structure.structure_nouvelle, name="structure_nouvelle"),
    path("structures/<int:pk>/", structure.structure, name="structure"),
    path("structures/<int:pk>/modifier/", structure.structure_modifier, name="structure_modifier"),
    path("structures/<int:pk>/inviter/", structure.structure_inviter, name="structure_inviter"),
    path(
        "structures/invitation/<str:jeton>/",
        structure.invitation_structure,
        name="invitation_structure",
    ),
    # Back office
    path("gestion/appels/", gestion.appels, name="gestion_appels"),
    path(
        "gestion/programmes/<int:programme_pk>/appels/nouveau/",
        gestion.appel_nouveau,
        name="gestion_appel_nouveau",
    ),
    path("gestion/appels/<int:pk>/", gestion.appel, name="gestion_appel"),
    path(
        "gestion/appels/<int:pk>/modifier/", gestion.appel_modifier, name="gestion_appel_modifier"
    ),
    path(
        "gestion/appels/<int:pk>/questions/",
        gestion.appel_questions,
        name="gestion_appel_questions",
    ),
    path(
        "gestion/appels/<int:pk>/questions/<int:question_pk>/deplacer/",
        gestion.appel_deplacer_question,
        name="gestion_appel_deplacer_question",
    ),
    path(
        "gestion/appels/<int:pk>/pieces/<int:piece_pk>/deplacer/",
        gestion.appel_deplacer_piece,
        name="gestion_appel_deplacer_piece",
    ),
    path("gestion/appels/<int:pk>/regles/", gestion.appel_regles, name="gestion_appel_regles"),
    path("gestion/appels/<int:pk>/publier/", gestion.appel_publier, name="gestion_appel_publier"),
    path("gestion/appels/<int:pk>/clore/", gestion.appel_clore, name="gestion_appel_clore"),
    path("gestion/appels/<int:pk>/rouvrir/", gestion.appel_rouvrir, name="gestion_appel_rouvrir"),
    path(
        "gestion/appels/<int:pk>/dupliquer/",
        gestion.appel_dupliquer,
        name="gestion_appel_dupliquer",
    ),
    path(
        "gestion/appels/<int:pk>/candidatures/",
        gestion.candidatures,
        name="gestion_candidatures",
    ),
    path(
        "gestion/appels/<int:pk>/candidatures/export.csv",
        gestion.candidatures_export,
        {"format_": "csv"},
        name="gestion_candidatures_csv",
    ),
    path(
        "gestion/appels/<int:pk>/candidatures/export.xlsx",
        gestion.candidatures_export,
        {"format_": "xlsx"},
        name="gestion_candidatures_xlsx",
    ),
    path(
        "gestion/appels/<int:pk>/candidatures/recevables/",
        gestion.candidatures_recevables,
        name="gestion_candidatures_recevables",
    ),
    path("gestion/candidatures/<int:pk>/", gestion.candidature, name="gestion_candidature"),
    path(
        "gestion/candidatures/<int:pk>/demander-complement/",
        gestion.demander_complement,
        name="gestion_demander_complement",
    ),
    path(
        "gestion/candidatures/<int:pk>/irrecevable/",
        gestion.declarer_irrecevable,
        name="gestion_declarer_irrecevable",
    ),
    path(
        "gestion/candidatures/<int:pk>/recevable/",
        gestion.declarer_recevable,
        name="gestion_declarer_recevable",
    ),
    path(
        "gestion/candidatures/<int:pk>/eligibilite/",
        gestion.forcer_eligibilite,
        name="gestion_forcer_eligibilite",
    ),
    # Versions déposées : la différence entre deux dépôts, le récépissé et les fichiers de chacun
    path("gestion/candidatures/<int:pk>/versions/", versions.versions, name="gestion_versions"),
    path(
        "candidatures/<int:pk>/versions/<int:numero>/recepisse.pdf",
        versions.recepisse_version,
        name="recepisse_version",
    ),
    path(
        "candidatures/<int:pk>/versions/<int:numero>/fichiers/<int:fichier_pk>/",
        versions.fichier_version,
        name="fichier_version",
    ),
]
