"""Un serveur SMTP qui tombe en panne exprès : seul ce qui est hors de notre code est simulé."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class ServeurSmtpEnPanne(EmailBackend):
    pannes_restantes = 0

    def send_messages(self, messages):
        if ServeurSmtpEnPanne.pannes_restantes > 0:
            ServeurSmtpEnPanne.pannes_restantes -= 1
            raise smtplib.SMTPServerDisconnected("Connexion fermée par le serveur")
        return super().send_messages(messages)
