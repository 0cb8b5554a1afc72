"""Ouvrir un formulaire de modification et l'enregistrer sans rien toucher ne doit rien perdre.

Pour chaque rôle de la démo, chaque page atteignable par ses liens qui porte un formulaire
« Enregistrer… » déjà rempli est ouverte dans Chromium. On y lit chaque champ comme le
navigateur le lit (`input.value` : une date que le champ ne sait pas lire est vide), on envoie
le formulaire tel quel, puis on rouvre la page : chaque champ doit montrer ce qu'il montrait.
Tous les écarts de tous les rôles sont rapportés ensemble."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.parcours.conftest import COMPTES, charger_demo, se_connecter
from tests.parcours.visite import forme, visiter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Une page de création (même pré-remplie de valeurs par défaut) n'est pas une modification.
PAGE_DE_CREATION = re.compile(r"/(nouveau|nouvelle|ajouter|creer|saisir)/?(\?|$)")
# Le bouton qui enregistre ce qu'on a modifié ; les autres (publier, valider, supprimer, déposer,
# déclarer…) font changer d'état ou effacent, et ne sont pas essayés ici.
BOUTON_D_ENREGISTREMENT = re.compile(r"^\s*(Enregistrer|Mettre à jour|Modifier)", re.IGNORECASE)
ACTION_A_EVITER = re.compile(r"(supprim|logout|i18n|retirer|annuler)", re.IGNORECASE)
# Une modification qui demande pourquoi (nouvelle échéance, éligibilité forcée) : la personne
# écrit un motif, qui n'est pas une valeur enregistrée dans le formulaire et n'est pas comparé.
CHAMP_DE_MOTIF = re.compile(r"motif")
MOTIF = "Relu, rien à changer."
# Une adresse par forme d'URL : le même formulaire sur un autre objet passe par le même code.
PAR_FORME = 1

# Les formulaires POST de la page, avec leurs boutons (JavaScript exécuté dans la page).
FORMULAIRES = """() => Array.from(document.forms).map((form, rang) => ({
    rang,
    methode: (form.getAttribute('method') || 'get').toLowerCase(),
    action: form.getAttribute('action') || '',
    boutons: Array.from(form.querySelectorAll('button, input[type=submit]'))
        .filter(b => (b.type || '').toLowerCase() === 'submit')
        .map(b => (b.innerText || b.value || '').trim()),
}))"""

# Ce que le navigateur lit de chaque champ (`lu`) et ce que le serveur y a mis (`servi`).
CHAMPS = """(rang) => {
    const form = document.forms[rang];
    const champs = {};
    for (const el of form.elements) {
        const type = (el.type || el.tagName).toLowerCase();
        if (!el.name || el.disabled
            || ['hidden', 'submit', 'button', 'reset', 'file', 'image'].includes(type)) continue;
        if (type === 'checkbox' || type === 'radio') {
            const champ = champs[el.name] ??= {type, requis: false, lu: [], servi: []};
            champ.requis ||= el.required;
            if (el.checked) champ.lu.push(el.value);
            if (el.defaultChecked) champ.servi.push(el.value);
        } else if (el.tagName === 'SELECT') {
            champs[el.name] = {
                type,
                requis: el.required,
                lu: Array.from(el.selectedOptions).map(o => o.value),
                servi: Array.from(el.options).filter(o => o.defaultSelected).map(o => o.value),
            };
        } else {
            champs[el.name] = {type, requis: el.required, lu: el.value, servi: el.defaultValue};
        }
    }
    return champs;
}"""

INVALIDES = """(rang) => Array.from(document.forms[rang].elements)
    .filter(el => el.willValidate && !el.checkValidity())
    .map(el => `${el.name} : ${el.validationMessage}`)"""

ERREURS_AFFICHEES = ".invalid-feedback, .alert-danger, .errorlist"


def _rempli(champ):
    """Le serveur y a mis une valeur (l'option vide « --- » d'une liste n'en est pas une)."""
    if isinstance(champ["servi"], list):
        return any(valeur != "" for valeur in champ["servi"])
    return champ["servi"] != ""


def _formulaire_d_edition(formulaire):
    """Le rang du bouton d'enregistrement si c'est un formulaire de modification, sinon None."""
    if formulaire["methode"] != "post" or ACTION_A_EVITER.search(formulaire["action"]):
        return None
    for rang, libelle in enumerate(formulaire["boutons"]):
        if BOUTON_D_ENREGISTREMENT.match(libelle):
            return rang
    return None


def _retrouver(page, signature):
    """Le rang, sur la page rechargée, du formulaire de même action et mêmes boutons."""
    for formulaire in page.evaluate(FORMULAIRES):
        if (formulaire["action"], formulaire["boutons"]) == signature:
            return formulaire["rang"]
    return None


def _ecarts_a_la_lecture(champs):
    """Ce que le navigateur ne lit pas comme le serveur l'a écrit : ce qu'il enverra."""
    ecarts = []
    for nom, champ in champs.items():
        lu, servi = champ["lu"], champ["servi"]
        if champ["type"].startswith("select") and not servi:
            if [valeur for valeur in lu if valeur]:
                ecarts.append(
                    f"{nom} ({champ['type']}) : aucune option n'est choisie par le serveur, "
                    f"le navigateur enverra « {lu[0]} »"
                )
            continue
        pareils = sorted(lu) == sorted(servi) if isinstance(lu, list) else lu == servi
        if not pareils:
            ecarts.append(
                f"{nom} ({champ['type']}) : servi « {servi} », lu par le navigateur « {lu} »"
            )
    return ecarts


def _ecarts_apres_envoi(avant, apres):
    ecarts = []
    for nom, champ in avant.items():
        if nom not in apres:
            ecarts.append(f"{nom} : le champ a disparu de la page")
            continue
        for cle, quoi in (("servi", "écrit par le serveur"), ("lu", "lu par le navigateur")):
            premier, second = champ[cle], apres[nom][cle]
            if isinstance(premier, list):
                premier, second = sorted(premier), sorted(second)
            if premier != second:
                ecarts.append(f"{nom} ({quoi}) : avant « {premier} », après « {second} »")
    return ecarts


def _essayer(page, adresse, formulaire, rang_bouton, motifs):
    """Renvoie le formulaire tel que le navigateur le lit ; la liste de ce qui ne va pas."""
    problemes = []
    signature = (formulaire["action"], formulaire["boutons"])
    rang = formulaire["rang"]
    for nom in motifs:
        page.locator("form").nth(rang).locator(f"[name='{nom}']").fill(MOTIF)
    avant = {nom: champ for nom, champ in page.evaluate(CHAMPS, rang).items() if nom not in motifs}
    problemes += [f"à l'ouverture, {ecart}" for ecart in _ecarts_a_la_lecture(avant)]
    invalides = page.evaluate(INVALIDES, rang)
    if invalides:
        return problemes + [f"le navigateur refuse d'envoyer le formulaire : {invalides}"]

    bouton = (
        page.locator("form")
        .nth(rang)
        .get_by_role("button", name=formulaire["boutons"][rang_bouton], exact=True)
    )
    try:
        with page.expect_navigation(timeout=20_000) as navigation:
            bouton.first.click()
    except PlaywrightTimeoutError:
        return problemes + ["aucune page ne suit l'envoi (20 s)"]
    reponse = navigation.value
    if reponse is not None and reponse.status >= 400:
        problemes.append(f"l'envoi répond {reponse.status}")
    erreurs = [texte.strip() for texte in page.locator(ERREURS_AFFICHEES).all_inner_texts()]
    if [texte for texte in erreurs if texte]:
        problemes.append(f"l'envoi est refusé : {' | '.join(t for t in erreurs if t)}")

    page.goto(adresse)
    rang_apres = _retrouver(page, signature)
    if rang_apres is None:
        return problemes + ["le formulaire n'est plus sur la page après l'envoi"]
    problemes += [
        f"après l'envoi, {ecart}"
        for ecart in _ecarts_apres_envoi(avant, page.evaluate(CHAMPS, rang_apres))
    ]
    return problemes


def _formulaires_d_edition_du_role(browser, site, role, adresses):
    """Ouvre chaque page dans le contexte du rôle ; {(adresse, bouton): [problèmes]} pour les
    formulaires essayés, et la liste de ceux qui ne l'ont pas été, avec pourquoi."""
    contexte = browser.new_context()
    page = contexte.new_page()
    page.set_default_timeout(20_000)
    se_connecter(page, site, COMPTES[role])
    essais = {}
    ecartes = []
    for adresse in adresses:
        page.goto(site + adresse)
        candidats = []
        for formulaire in page.evaluate(FORMULAIRES):
            rang_bouton = _formulaire_d_edition(formulaire)
            if rang_bouton is None:
                continue
            champs = page.evaluate(CHAMPS, formulaire["rang"])
            vides = [nom for nom, c in champs.items() if c["requis"] and not _rempli(c)]
            motifs = [nom for nom in vides if CHAMP_DE_MOTIF.search(nom)]
            # Modifier, c'est partir d'un objet enregistré : des champs remplis par le serveur,
            # et aucun champ obligatoire laissé vide hors motif (sinon c'est un ajout).
            bouton = formulaire["boutons"][rang_bouton]
            if not any(map(_rempli, champs.values())):
                ecartes.append(f"{adresse} « {bouton} » : aucun champ rempli (ajout)")
            elif len(motifs) < len(vides):
                ecartes.append(f"{adresse} « {bouton} » : obligatoires vides {vides} (ajout)")
            else:
                candidats.append((formulaire, rang_bouton, motifs))
        for numero, (formulaire, rang_bouton, motifs) in enumerate(candidats):
            if numero:
                page.goto(site + adresse)
                rang = _retrouver(page, (formulaire["action"], formulaire["boutons"]))
                if rang is None:
                    continue
                formulaire = {**formulaire, "rang": rang}
            cle = (adresse, formulaire["boutons"][rang_bouton])
            try:
                essais[cle] = _essayer(page, site + adresse, formulaire, rang_bouton, motifs)
            except PlaywrightError as erreur:  # un formulaire en panne n'arrête pas les autres
                essais[cle] = [f"{type(erreur).__name__} : {str(erreur).splitlines()[0]}"]
    contexte.close()
    return essais, ecartes


def test_enregistrer_sans_rien_changer_ne_perd_rien(browser, live_server):
    charger_demo()
    echecs = []
    essayes = []
    ecartes = []
    for role, email in COMPTES.items():
        client = Client()
        client.force_login(get_user_model().objects.get(email=email))
        par_forme = {}
        adresses = []
        for adresse in visiter(client).pages_avec_formulaire:
            cle = forme(adresse)
            if PAGE_DE_CREATION.search(adresse) or par_forme.get(cle, 0) >= PAR_FORME:
                continue
            par_forme[cle] = par_forme.get(cle, 0) + 1
            adresses.append(adresse)
        essais, ecartes_du_role = _formulaires_d_edition_du_role(
            browser, live_server.url, role, adresses
        )
        ecartes += [f"{role} {ecarte}" for ecarte in ecartes_du_role]
        for (adresse, bouton), problemes in essais.items():
            essayes.append(f"{role} {adresse} « {bouton} »")
            echecs += [f"[{role}] {adresse} « {bouton} » : {probleme}" for probleme in problemes]

    assert echecs == [], (
        "\n".join(echecs)
        + "\n\nFormulaires essayés :\n"
        + "\n".join(essayes)
        + "\n\nFormulaires « Enregistrer » écartés :\n"
        + "\n".join(ecartes)
    )
    # L'essai a porté sur de vrais formulaires de chaque espace.
    assert len(essayes) > 10, essayes
