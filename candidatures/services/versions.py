"""Les versions déposées : à chaque dépôt et nouveau dépôt, la candidature telle qu'elle est
(réponses, questions et pièces demandées de l'appel, éligibilité figée, structure, fichiers)
est gardée sous un numéro 1, 2… ; le dépôt l'appelle dans sa transaction."""

import hashlib

from django.db.models import Max

from candidatures.models import FichierVersion, VersionDeposee

TAILLE_DE_LECTURE = 1024 * 1024


def structure_figee(structure):
    """Ce que le récépissé montre de la structure, en données JSON."""
    return {
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
    }


def questions_figees(appel):
    return [
        {
            "id": q.pk,
            "libelle": q.libelle,
            "type": q.type,
            "choix": list(q.choix or []),
            "condition": q.condition_id,
            "condition_valeur": q.condition_valeur,
        }
        for q in appel.questions.all()
    ]


def pieces_demandees_figees(appel):
    return [{"id": p.pk, "libelle": p.libelle} for p in appel.pieces_demandees.all()]


def empreinte(fichier):
    """Le SHA-256 du fichier stocké ; vide si le stockage ne l'a plus."""
    somme = hashlib.sha256()
    try:
        with fichier.storage.open(fichier.name, "rb") as contenu:
            while bloc := contenu.read(TAILLE_DE_LECTURE):
                somme.update(bloc)
    except OSError:
        return ""
    return somme.hexdigest()


def figer_version(candidature, *, par, quand):
    """Crée la version suivante de la candidature (déjà verrouillée par l'appelant) depuis son
    état présent. Un fichier déjà gardé par une version précédente garde son empreinte, sans
    être relu. Renvoie la version."""
    dernier = candidature.versions.aggregate(dernier=Max("numero"))["dernier"] or 0
    version = VersionDeposee.objects.create(
        candidature=candidature,
        numero=dernier + 1,
        deposee_le=quand,
        deposee_par=par,
        questions=questions_figees(candidature.appel),
        pieces_demandees=pieces_demandees_figees(candidature.appel),
        reponses=dict(candidature.reponses),
        eligibilite=dict(candidature.eligibilite),
        structure=structure_figee(candidature.structure),
    )
    connues = dict(
        FichierVersion.objects.filter(version__candidature=candidature)
        .exclude(sha256="")
        .values_list("fichier", "sha256")
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
            sha256=connues.get(piece.fichier.name) or empreinte(piece.fichier),
        )
        for piece in candidature.pieces_jointes.all()
    )
    return version


def fichier_garde_par_une_version(nom):
    """Une version déposée désigne-t-elle ce fichier stocké ?"""
    return FichierVersion.objects.filter(fichier=nom).exists()
