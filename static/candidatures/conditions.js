// Questions conditionnelles du formulaire de candidature : une question qui porte
// data-condition-champ (le nom du champ d'une question précédente) et data-condition-valeur
// (la réponse attendue) n'est montrée que si cette réponse est cochée et que la question
// précédente est elle-même montrée. Sans ce script, tout reste visible avec sa consigne
// « À remplir seulement si… » ; le serveur applique la même règle au dépôt.
(function () {
  "use strict";
  var formulaire = document.getElementById("formulaire-candidature");
  if (!formulaire) return;
  var conditionnelles = Array.from(formulaire.querySelectorAll("[data-condition-champ]"));
  if (!conditionnelles.length) return;
  var annonce = document.getElementById("annonce-conditions");

  function questionDuChamp(nom) {
    var champ = formulaire.querySelector('[name="' + CSS.escape(nom) + '"]');
    return champ ? champ.closest(".question") : null;
  }

  function reponseCochee(nom, valeur) {
    return Array.from(formulaire.querySelectorAll('[name="' + CSS.escape(nom) + '"]')).some(
      function (champ) { return champ.checked && champ.value === valeur; }
    );
  }

  function libelle(question) {
    var etiquette = question.querySelector("legend, label");
    return etiquette ? etiquette.textContent.replace(/\*/g, "").trim() : "";
  }

  function appliquer(annoncer) {
    var apparues = [];
    var masquees = [];
    // Dans l'ordre du formulaire : une condition vient toujours avant sa question, sa
    // visibilité est donc déjà à jour quand on la lit (chaîne A → B → C).
    conditionnelles.forEach(function (question) {
      var nom = question.dataset.conditionChamp;
      var precedente = questionDuChamp(nom);
      var montree = !!precedente && !precedente.hidden &&
        reponseCochee(nom, question.dataset.conditionValeur);
      if (montree === !question.hidden) return;
      question.hidden = !montree;
      (montree ? apparues : masquees).push(libelle(question));
    });
    if (!annoncer || !annonce) return;
    var phrases = apparues.map(function (texte) {
      return interpolate(gettext("Question ajoutée : « %(libelle)s »."), { libelle: texte }, true);
    }).concat(masquees.map(function (texte) {
      return interpolate(gettext("Question masquée : « %(libelle)s »."), { libelle: texte }, true);
    }));
    if (phrases.length) annonce.textContent = phrases.join(" ");
  }

  // Avec le script, la question n'apparaît que lorsqu'elle est à remplir : la consigne écrite
  // pour les navigateurs sans JavaScript devient inutile.
  formulaire.querySelectorAll(".consigne-condition").forEach(function (consigne) {
    consigne.hidden = true;
  });
  appliquer(false);
  formulaire.addEventListener("change", function () { appliquer(true); });
})();
