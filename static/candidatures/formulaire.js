// Formulaire de candidature : enregistrement automatique du brouillon, compteurs de
// caractères, envoi d'un fichier dès qu'il est choisi. Sans ce script, le bouton
// « Enregistrer le brouillon » fait tout.
(function () {
  "use strict";
  var formulaire = document.getElementById("formulaire-candidature");
  if (!formulaire) return;
  var url = formulaire.dataset.enregistrementUrl;
  var statut = document.getElementById("statut-enregistrement");
  var panneau = document.getElementById("panneau-completude");
  var DELAI_MS = 1500;
  var minuteur = null;
  var enCours = false;
  var aRefaire = false;

  function enregistrer() {
    if (enCours) { aRefaire = true; return; }
    enCours = true;
    var donnees = new FormData(formulaire);
    Array.from(donnees.keys()).forEach(function (nom) {
      if (donnees.get(nom) instanceof File) donnees.delete(nom);
    });
    donnees.delete("action");
    fetch(url, { method: "POST", body: donnees, credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (reponse) {
        return reponse.json().then(function (corps) { return { ok: reponse.ok, corps: corps }; });
      })
      .then(function (resultat) {
        statut.textContent = resultat.corps.message;
        if (resultat.ok && resultat.corps.panneau && panneau) panneau.innerHTML = resultat.corps.panneau;
      })
      .catch(function () {
        statut.textContent = gettext(
          "L'enregistrement automatique n'a pas abouti : utilisez le bouton « Enregistrer le brouillon »."
        );
      })
      .finally(function () {
        enCours = false;
        if (aRefaire) { aRefaire = false; enregistrer(); }
      });
  }

  function planifier(evenement) {
    if (evenement.target.type === "file") return;
    clearTimeout(minuteur);
    minuteur = setTimeout(enregistrer, DELAI_MS);
  }

  formulaire.addEventListener("input", planifier);
  formulaire.addEventListener("change", function (evenement) {
    if (evenement.target.type === "file" && evenement.target.files.length) {
      clearTimeout(minuteur);
      statut.textContent = gettext("Envoi du fichier…");
      var bouton = formulaire.querySelector('button[name="action"][value="enregistrer"]');
      formulaire.requestSubmit ? formulaire.requestSubmit(bouton) : bouton.click();
      return;
    }
    planifier(evenement);
  });

  document.querySelectorAll(".compteur").forEach(function (compteur) {
    var champ = document.getElementById(compteur.dataset.pour);
    if (!champ) return;
    var limite = parseInt(champ.getAttribute("maxlength"), 10);
    compteur.setAttribute("aria-live", "polite");
    function mettreAJour() {
      var restant = limite - champ.value.length;
      var valeurs = { saisis: champ.value.length, limite: limite, restant: restant };
      compteur.textContent = restant < 100
        ? interpolate(gettext("%(saisis)s caractères sur %(limite)s (il en reste %(restant)s)."), valeurs, true)
        : interpolate(gettext("%(saisis)s caractères sur %(limite)s."), valeurs, true);
    }
    champ.addEventListener("input", mettreAJour);
    mettreAJour();
  });
})();
