"""Le schéma OpenAPI complété des réponses d'erreur que chaque point d'accès peut donner : un
client généré les connaît, et la conformité des réponses au schéma se vérifie aussi pour elles
(tests/api/test_conformite.py)."""

from django.utils.translation import gettext_lazy as _

ERREURS = {
    "400": _("Paramètre refusé : l'objet dit lequel et pourquoi."),
    "401": _("Jeton absent (point d'accès réservé), inconnu, révoqué ou expiré."),
    "403": _("Le titulaire du jeton n'a pas ce droit."),
    "404": _("Introuvable, ou hors du périmètre du jeton ; curseur invalide."),
    "429": _(
        "Limite de requêtes atteinte : l'en-tête Retry-After dit combien de secondes attendre."
    ),
}


def reponses_d_erreur(result, generator, request, public):
    """Crochet de fin de génération de drf-spectacular (POSTPROCESSING_HOOKS)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Erreur"] = {
        "type": "object",
        "description": str(
            _(
                "« detail » dit la cause en français ; un paramètre refusé est nommé par sa "
                "clé, avec la liste de ses erreurs."
            )
        ),
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": True,
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            reponses = operation.setdefault("responses", {})
            for code, description in ERREURS.items():
                reponses.setdefault(
                    code,
                    {
                        "description": str(description),
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}
                        },
                    },
                )
    return result
