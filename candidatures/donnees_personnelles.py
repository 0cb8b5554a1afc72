"""Ce que les appels et candidatures gardent sur une personne : ses structures, les
structures dont elle est le contact, leurs candidatures (et leurs versions déposées, qui
gardent le contact de la structure au jour du dépôt) et les invitations à une structure.
Déclaré au registre des données personnelles des comptes (`comptes.donnees_personnelles`)."""

from django.db.models import Q

from candidatures.models import Candidature, VersionDeposee
from comptes.donnees_personnelles import date_iso, declarer, etat_invitation, une_des
from structures.models import InvitationStructure, MembreStructure, Structure


def exporter(utilisateur, adresses, maintenant):
    adhesions = MembreStructure.objects.filter(utilisateur=utilisateur).select_related(
        "structure__commune"
    )
    candidatures = (
        Candidature.objects.filter(structure__adhesions__utilisateur=utilisateur)
        .select_related("appel", "structure")
        .prefetch_related("versions")
        .order_by("creee_le")
    )
    return {
        "structures": [
            {
                "nom": a.structure.nom,
                "siret": a.structure.siret,
                "commune": str(a.structure.commune),
                "responsable": a.est_responsable,
                "membre_depuis": date_iso(a.ajoute_le),
                "contact": {
                    "nom": a.structure.contact_nom,
                    "fonction": a.structure.contact_fonction,
                    "adresse_electronique": a.structure.contact_email,
                    "telephone": a.structure.contact_telephone,
                },
            }
            for a in adhesions
        ],
        "contact_de_structures": [
            {
                "structure": s.nom,
                "nom": s.contact_nom,
                "fonction": s.contact_fonction,
                "adresse_electronique": s.contact_email,
                "telephone": s.contact_telephone,
            }
            for s in Structure.objects.filter(une_des("contact_email", adresses)).order_by("nom")
        ],
        "candidatures": [
            {
                "appel": c.appel.titre,
                "structure": c.structure.nom,
                "etat": c.etat,
                "creee_le": date_iso(c.creee_le),
                "creee_par_moi": c.creee_par_id == utilisateur.pk,
                "deposee_le": date_iso(c.deposee_le),
                "depots": [
                    {
                        "numero": v.numero,
                        "depose_le": date_iso(v.deposee_le),
                        "depose_par_moi": v.deposee_par_id == utilisateur.pk,
                    }
                    for v in c.versions.all()
                ],
            }
            for c in candidatures
        ],
        "invitations_recues": [
            {
                "adresse": i.email,
                "structure": i.structure.nom,
                "envoyee_le": date_iso(i.creee_le),
                "etat": etat_invitation(i, maintenant),
            }
            for i in InvitationStructure.objects.filter(
                Q(acceptee_par=utilisateur) | une_des("email", adresses)
            )
            .select_related("structure")
            .order_by("creee_le", "pk")
        ],
        "invitations_envoyees": [
            {
                "adresse": i.email,
                "structure": i.structure.nom,
                "envoyee_le": date_iso(i.creee_le),
                "etat": etat_invitation(i, maintenant),
            }
            for i in InvitationStructure.objects.filter(invitee_par=utilisateur)
            .select_related("structure")
            .order_by("creee_le", "pk")
        ],
    }


def anonymiser(utilisateur, adresses, maintenant):
    """Retire la personne de ses structures, ferme les invitations à une structure qui lui
    étaient adressées et vide le contact des structures dont elle était la personne à
    contacter, jusque dans les versions déposées (le récépissé d'un dépôt passé ne la cite
    plus)."""
    MembreStructure.objects.filter(utilisateur=utilisateur).delete()
    InvitationStructure.objects.filter(une_des("email", adresses), acceptee_le__isnull=True).filter(
        expire_le__gt=maintenant
    ).update(expire_le=maintenant)
    Structure.objects.filter(une_des("contact_email", adresses)).update(
        contact_nom="", contact_fonction="", contact_email="", contact_telephone=""
    )
    for version in VersionDeposee.objects.filter(une_des("structure__contact_email", adresses)):
        version.structure = version.structure | {
            "contact_nom": "",
            "contact_fonction": "",
            "contact_email": "",
            "contact_telephone": "",
        }
        version.save(update_fields=["structure"])


# Chargé par le ready() de l'application.
declarer(
    "candidatures",
    exporter=exporter,
    anonymiser=anonymiser,
    modeles=(InvitationStructure, Structure),
)
