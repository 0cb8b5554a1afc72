"""Erreurs du domaine des territoires ; leur message s'affiche tel quel, en français."""


class CommuneInconnue(LookupError):
    """Un code INSEE qui n'est ni une commune, ni un arrondissement, ni une ancienne commune."""

    def __init__(self, code):
        self.code = code
        super().__init__(
            f"Code INSEE inconnu : « {code} » n'est ni une commune en vigueur, "
            "ni un arrondissement municipal, ni une ancienne commune connue."
        )


class FichierInvalide(ValueError):
    """Un fichier de référence illisible ou incohérent : rien n'en a été importé."""
