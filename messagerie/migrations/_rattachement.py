"""Rattache au programme de leur objet les lignes créées avant le champ `programme`
(courriels et relances). Le chemin de chaque modèle vers son programme, figé ici : il suit
`candidatures.rules.PARENT_VERS_LE_PROGRAMME` au moment de la migration."""

from django.db.models import OuterRef, Subquery

CHEMINS = {
    ("candidatures", "programme"): "pk",
    ("candidatures", "appel"): "programme",
    ("candidatures", "candidature"): "appel__programme",
    ("accompagnement", "planaccompagnement"): "programme",
    ("accompagnement", "jalon"): "plan__programme",
    ("accompagnement", "sessionformation"): "formation__programme",
    ("accompagnement", "inscription"): "session__formation__programme",
    ("accompagnement", "comitecloture"): "programme",
    ("evaluation", "jury"): "appel__programme",
    ("evaluation", "membrejury"): "jury__appel__programme",
    ("evaluation", "affectation"): "candidature__appel__programme",
    ("evaluation", "evaluation"): "affectation__candidature__appel__programme",
    ("evaluation", "deliberation"): "appel__programme",
}


def rattacher(apps, app_label, nom_modele):
    Modele = apps.get_model(app_label, nom_modele)
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (app, modele), chemin in CHEMINS.items():
        type_objet = ContentType.objects.filter(app_label=app, model=modele).first()
        if type_objet is None:
            continue
        source = apps.get_model(app, modele)
        Modele.objects.filter(objet_type=type_objet, programme__isnull=True).update(
            programme_id=Subquery(
                source.objects.filter(pk=OuterRef("objet_id")).values(chemin)[:1]
            )
        )
