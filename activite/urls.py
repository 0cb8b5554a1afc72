from django.urls import path

from activite.views import bilan, structure

app_name = "activite"

urlpatterns = [
    path("activite/", structure.mes_structures, name="structures"),
    path("activite/structures/<int:pk>/", structure.activite, name="activite"),
    path(
        "activite/structures/<int:pk>/actions/nouvelle/",
        structure.action_nouvelle,
        name="action_nouvelle",
    ),
    path(
        "activite/structures/<int:pk>/actions/<int:action_pk>/modifier/",
        structure.action_nouvelle,
        name="action_modifier",
    ),
    path(
        "activite/structures/<int:pk>/beneficiaires/", structure.beneficiaires, name="beneficiaires"
    ),
    path(
        "activite/structures/<int:pk>/liste-attente/", structure.liste_attente, name="liste_attente"
    ),
    path("activite/structures/<int:pk>/importer/", structure.importer, name="importer"),
    path("activite/actions/<int:pk>/", structure.action, name="action"),
    path("activite/actions/<int:pk>/statuts/", structure.action_statuts, name="action_statuts"),
    path(
        "activite/actions/<int:pk>/participants/<int:participation_pk>/retirer/",
        structure.action_retirer_participant,
        name="action_retirer_participant",
    ),
    path(
        "activite/actions/<int:pk>/supprimer/", structure.action_supprimer, name="action_supprimer"
    ),
    path("bilans/", bilan.bilans, name="bilans"),
    path("bilans/<slug:slug>/", bilan.bilan, name="bilan"),
    path("bilans/<slug:slug>/bilan.pdf", bilan.bilan_pdf, name="bilan_pdf"),
    path("bilans/<slug:slug>/bilan-pdf-etat/", bilan.bilan_pdf_etat, name="bilan_pdf_etat"),
    path("bilans/<slug:slug>/bilan.xlsx", bilan.bilan_xlsx, name="bilan_xlsx"),
    path("gestion/activite/themes/", bilan.themes, name="themes"),
]
