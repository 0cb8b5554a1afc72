"""« Suis-je éligible ? » dans Chromium : autocomplétion au clavier et à la souris, axe."""

import pytest
from playwright.sync_api import expect

from territoires.models import Commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_taper_houpl_choisir_houplines_et_lire_eligible(page, live_server, verifier_accessibilite):
    page.goto(live_server.url + "/eligibilite/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suis-je éligible\u00a0?")
    verifier_accessibilite(page)

    champ = page.get_by_role("combobox", name="Commune de votre structure")
    champ.press_sequentially("houpl")
    options = page.get_by_role("listbox", name="Communes proposées").get_by_role("option")
    expect(options).to_have_text(
        ["Houplines (59) – 7\u202f921 habitants", "Houplin-Ancoisne (59) – 3\u202f326 habitants"]
    )
    expect(champ).to_have_attribute("aria-expanded", "true")
    verifier_accessibilite(page)

    options.filter(has_text="Houplines (59)").click()
    expect(champ).to_have_value("Houplines (59)")
    expect(page.locator("#id_commune_code")).to_have_value("59317")
    page.get_by_role("button", name="Vérifier l'éligibilité").click()

    expect(page.get_by_role("status").filter(has_text="Houplines (59317)")).to_have_text(
        "Houplines (59317) est éligible."
    )
    expect(page.get_by_role("link", name="Créer un compte et candidater")).to_be_visible()
    verifier_accessibilite(page)


def test_le_clavier_suffit_et_les_tirets_sont_facultatifs(page, live_server):
    page.goto(live_server.url + "/eligibilite/")
    champ = page.get_by_role("combobox", name="Commune de votre structure")
    champ.press_sequentially("faches thumesnil")
    liste = page.get_by_role("listbox", name="Communes proposées")
    expect(liste.get_by_role("option")).to_have_count(1)
    champ.press("ArrowDown")
    expect(liste.get_by_role("option", selected=True)).to_contain_text("Faches-Thumesnil (59)")
    champ.press("Enter")
    expect(page.locator("#id_commune_code")).to_have_value("59220")
    champ.press("Enter")

    expect(page.get_by_role("status").filter(has_text="Faches-Thumesnil")).to_have_text(
        "Faches-Thumesnil (59220) n'est pas éligible."
    )
    expect(page.get_by_text("QN05972M « Secteur Sud », intercommunal")).to_be_visible()


def test_le_referentiel_est_la_apres_un_test_transactionnel():
    # Le test précédent a vidé la base en sortant ; les communes y sont de nouveau.
    assert Commune.objects.count() == 34969


def test_lomme_mene_a_lille_et_une_faute_de_frappe_propose_haubourdin(page, live_server):
    page.goto(live_server.url + "/eligibilite/")
    champ = page.get_by_role("combobox", name="Commune de votre structure")
    options = page.get_by_role("listbox", name="Communes proposées").get_by_role("option")

    champ.press_sequentially("haubourdain")
    expect(options.first).to_have_text("Haubourdin (59) – 15\u202f074 habitants")

    champ.fill("")
    champ.press_sequentially("lomme")
    expect(options.first).to_have_text("Lomme (59) – commune associée de Lille")
    options.first.click()
    expect(champ).to_have_value("Lomme (59)")
    page.get_by_role("button", name="Vérifier l'éligibilité").click()

    expect(
        page.get_by_text(
            "Lomme est une commune associée de Lille : l'éligibilité est celle de Lille."
        )
    ).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Lille (59350)")).to_have_text(
        "Lille (59350) n'est pas éligible."
    )
