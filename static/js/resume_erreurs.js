// Un formulaire revenu avec des erreurs : le focus va au résumé en tête du formulaire (le
// lecteur d'écran le lit), et chaque lien du résumé met le focus dans son champ.
(function () {
  "use strict";
  var resume = document.querySelector("[data-resume-erreurs]");
  if (!resume) return;
  resume.focus();
  document.querySelectorAll("[data-resume-erreurs] a[href^='#']").forEach(function (lien) {
    lien.addEventListener("click", function (evenement) {
      var champ = document.getElementById(lien.getAttribute("href").slice(1));
      if (!champ) return;
      evenement.preventDefault();
      champ.focus();
      champ.scrollIntoView({ block: "center" });
    });
  });
})();
