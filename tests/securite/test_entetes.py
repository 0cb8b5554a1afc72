"""En-têtes de sécurité : la politique de contenu interdit tout script et tout style en ligne."""

import re
from pathlib import Path

from django.conf import settings

GABARITS = Path(settings.BASE_DIR) / "templates"


def _directives(reponse):
    politique = reponse.headers["Content-Security-Policy"]
    return {
        morceaux[0]: morceaux[1:]
        for morceaux in (directive.split() for directive in politique.split(";"))
        if morceaux
    }


def test_politique_de_contenu_sans_script_ni_style_en_ligne(client):
    directives = _directives(client.get("/"))
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]


def test_entetes_de_securite_de_la_page_de_connexion(client):
    reponse = client.get("/comptes/login/")
    assert reponse.status_code == 200
    assert reponse.headers["X-Content-Type-Options"] == "nosniff"
    assert reponse.headers["Referrer-Policy"] == "same-origin"
    assert reponse.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in reponse.headers


def test_aucun_gabarit_ne_contient_de_script_en_ligne():
    """Un <script> sans src= ne tournerait pas sous la politique ; seul un bloc de données
    JSON (type="application/json") est permis, car le navigateur ne l'exécute pas."""
    ouverture = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
    fautifs = []
    for gabarit in sorted(GABARITS.rglob("*.html")):
        for numero, ligne in enumerate(gabarit.read_text(encoding="utf-8").splitlines(), 1):
            for balise in ouverture.findall(ligne):
                if "src=" not in balise and 'type="application/json"' not in balise:
                    fautifs.append(f"{gabarit.relative_to(GABARITS)}:{numero}")
    assert fautifs == []


# Read by WeasyPrint to draw a PDF, never served to a browser: their <style> is not under the CSP.
GABARITS_PDF = {
    "activite/bilan_pdf.html",
    "accompagnement/attestation.html",
    "candidatures/recepisse.html",
    "evaluation/pdf/_style.html",
}


def test_aucune_page_ne_contient_de_style_en_ligne():
    """Un style="" ou un <style> serait ignoré par le navigateur sous la politique (un texte
    perdrait ses retours à la ligne) : les pages utilisent les classes de static/."""
    style = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
    fautifs = []
    for gabarit in sorted(GABARITS.rglob("*.html")):
        nom = str(gabarit.relative_to(GABARITS))
        if nom in GABARITS_PDF:
            continue
        for numero, ligne in enumerate(gabarit.read_text(encoding="utf-8").splitlines(), 1):
            if style.search(ligne):
                fautifs.append(f"{nom}:{numero}")
    assert fautifs == []
