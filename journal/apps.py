from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Journal"

    def ready(self):
        from django_fsm.signals import post_transition

        from journal.transitions import journaliser_transition

        post_transition.connect(journaliser_transition, dispatch_uid="journal.transitions")
