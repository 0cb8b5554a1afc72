"""Erreurs du domaine des territoires ; leur message s'affiche tel quel, dans la langue active
quand elles sont levées."""

from django.utils.translation import gettext


class CommuneInconnue(LookupError):
    """Un code INSEE qui n'est ni une commune, ni un arrondissement, ni une ancienne commune."""

    def __init__(self, code):
        self.code = code
        super().__init__(
            gettext(
                "Code INSEE inconnu : « %(code)s » n'est ni une commune en vigueur, "
                "ni un arrondissement municipal, ni une ancienne commune connue."
            )
            % {"code": code}
        )


class FichierInvalide(ValueError):
    """Un fichier de référence illisible ou incohérent : rien n'en a été importé."""
