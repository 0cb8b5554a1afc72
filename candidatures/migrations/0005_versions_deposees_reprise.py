"""Reprise : les candidatures déposées avant les versions reçoivent leur version n° 1.

Elle est construite depuis l'état présent de la candidature (réponses, questions et pièces
demandées de l'appel, éligibilité figée, structure, fichiers joints), datée de son dernier
dépôt, sans auteur, et marquée `reconstituee` : pour une candidature qui a été redéposée, ou
qui est « à compléter » et a pu être retouchée depuis, ce n'est pas forcément le dépôt
d'origine, que Relais n'a pas gardé. Les dépôts suivants prennent les numéros 2, 3…

Réversible : le retour en arrière supprime les versions reconstituées (et leurs fichiers
en base, pas les fichiers stockés, qui restent ceux des pièces jointes).
"""

import hashlib

from django.db import migrations


def _empreinte(fichier):
    somme = hashlib.sha256()
    try:
        with fichier.storage.open(fichier.name, "rb") as contenu:
            while bloc := contenu.read(1024 * 1024):
                somme.update(bloc)
    except OSError:
        return ""
    return somme.hexdigest()


def creer_les_versions(apps, schema_editor):
    Candidature = apps.get_model("candidatures", "Candidature")
    VersionDeposee = apps.get_model("candidatures", "VersionDeposee")
    FichierVersion = apps.get_model("candidatures", "FichierVersion")
    deposees = (
        Candidature.objects.filter(deposee_le__isnull=False, versions__isnull=True)
        .select_related("appel", "structure__commune")
        .order_by("pk")
    )
    for candidature in deposees.iterator(chunk_size=200):
        structure = candidature.structure
        version = VersionDeposee.objects.create(
            candidature=candidature,
            numero=1,
            deposee_le=candidature.deposee_le,
            deposee_par=None,
            questions=[
                {"id": q.pk, "libelle": q.libelle, "type": q.type, "choix": list(q.choix or [])}
                for q in candidature.appel.questions.order_by("ordre", "pk")
            ],
            pieces_demandees=[
                {"id": p.pk, "libelle": p.libelle}
                for p in candidature.appel.pieces_demandees.order_by("ordre", "pk")
            ],
            reponses=dict(candidature.reponses or {}),
            eligibilite=dict(candidature.eligibilite or {}),
            structure={
                "nom": structure.nom,
                "type": structure.type,
                "siret": structure.siret,
                "commune": structure.commune.nom,
                "code_insee": structure.commune.code_insee,
                "adresse": structure.adresse,
                "code_postal": structure.code_postal,
                "contact_nom": structure.contact_nom,
                "contact_fonction": structure.contact_fonction,
                "contact_email": structure.contact_email,
                "contact_telephone": str(structure.contact_telephone),
            },
            reconstituee=True,
        )
        FichierVersion.objects.bulk_create(
            FichierVersion(
                version=version,
                question_id=piece.question_id,
                piece_demandee_id=piece.piece_demandee_id,
                fichier=piece.fichier.name,
                nom_original=piece.nom_original,
                type_mime=piece.type_mime,
                taille=piece.taille,
                sha256=_empreinte(piece.fichier),
            )
            for piece in candidature.pieces_jointes.order_by("ajoutee_le", "pk")
        )


def supprimer_les_versions_reconstituees(apps, schema_editor):
    VersionDeposee = apps.get_model("candidatures", "VersionDeposee")
    VersionDeposee.objects.filter(reconstituee=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("candidatures", "0004_versions_deposees"),
        ("structures", "0001_initial"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(creer_les_versions, supprimer_les_versions_reconstituees),
    ]
