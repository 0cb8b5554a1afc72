"""La remise des kits, comme le coach la vit depuis la page du plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement.enums import EtatJalon, TypeJalon
from accompagnement.models import Jalon, RemiseKit
from tests.accompagnement.factories import plan_pour

pytestmark = pytest.mark.django_db


def _remettre(client, plan, kit, date="2023-02-02"):
    return client.post(
        reverse("accompagnement:remettre_kit", args=[plan.pk]), {"kit": kit.pk, "date": date}
    )


def test_le_jalon_kits_n_est_fait_qu_une_fois_tous_les_kits_du_programme_remis(client, plan, coach):
    client.force_login(coach)
    kits = list(plan.programme.kits.order_by("pk"))
    assert len(kits) == 4
    jalon = Jalon.objects.get(plan=plan, type=TypeJalon.KITS)
    etats = []

    for kit in kits:
        assert _remettre(client, plan, kit).status_code == 302
        jalon.refresh_from_db()
        etats.append(jalon.etat)

    assert etats == [EtatJalon.EN_COURS, EtatJalon.EN_COURS, EtatJalon.EN_COURS, EtatJalon.FAIT]
    page = client.get(reverse("accompagnement:plan", args=[plan.pk])).text
    assert "4 kits remis sur 4" in page


def test_un_kit_deja_remis_ne_compte_qu_une_fois(client, plan, coach):
    client.force_login(coach)
    premier, *_autres = plan.programme.kits.order_by("pk")

    _remettre(client, plan, premier)
    _remettre(client, plan, premier, date="2023-02-09")

    assert RemiseKit.objects.filter(plan=plan).count() == 1
    assert Jalon.objects.get(plan=plan, type=TypeJalon.KITS).etat == EtatJalon.EN_COURS
    page = client.get(reverse("accompagnement:plan", args=[plan.pk])).text
    assert "1 kit remis sur 4" in page


def test_le_message_de_remise_ne_double_pas_les_guillemets(client, plan, coach):
    client.force_login(coach)
    kit = plan.programme.kits.get(nom="Kit « Tablette et smartphone »")

    reponse = _remettre(client, plan, kit)

    page = client.get(reponse["Location"]).text
    assert "Remise enregistrée : Kit « Tablette et smartphone »." in page
    assert "« Kit «" not in page


@pytest.mark.parametrize(
    "date, message",
    [
        ("2030-06-01", "La date de remise doit être au plus tard le 3 février 2024"),
        ("2021-01-01", "La date de remise doit être au plus tôt le 3 octobre 2022"),
    ],
)
def test_une_date_de_remise_hors_du_plan_est_refusee_pres_du_champ(
    client, plan, coach, date, message
):
    client.force_login(coach)
    kit = plan.programme.kits.first()

    reponse = _remettre(client, plan, kit, date=date)

    assert reponse.status_code == 400
    form = reponse.context["form_kit"]
    assert form.errors["date"][0].startswith(message)
    assert f'value="{date}"' in reponse.text
    assert RemiseKit.objects.filter(plan=plan).count() == 0
    assert Jalon.objects.get(plan=plan, type=TypeJalon.KITS).etat == EtatJalon.PREVU


def test_une_remise_datee_dans_le_futur_est_refusee(client, coach):
    plan = plan_pour(coach=coach, date_debut=timezone.localdate() - datetime.timedelta(days=30))
    client.force_login(coach)
    demain = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    reponse = _remettre(client, plan, plan.programme.kits.first(), date=demain)

    assert reponse.status_code == 400
    assert reponse.context["form_kit"].errors["date"] == [
        "La date de remise ne peut pas être dans le futur : notez la remise une fois le kit remis."
    ]
    assert RemiseKit.objects.filter(plan=plan).count() == 0
