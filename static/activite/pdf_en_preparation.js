// Sans JavaScript, le bouton de la page redemande le PDF. Avec, on demande toutes les trois
// secondes où en est la préparation, et la zone d'état (role="status", lue par les lecteurs
// d'écran) annonce le PDF prêt, ou ce qu'il faut faire si la préparation s'est arrêtée.
(function () {
  var zone = document.getElementById("etat-du-pdf");
  if (!zone || !window.fetch) return;
  var message = document.getElementById("message-du-pdf");
  var consigne = document.getElementById("consigne-du-pdf");
  var lien = document.getElementById("lien-du-pdf");
  var intervalle = 3000;
  var limite = Date.now() + 15 * 60 * 1000;
  consigne.hidden = true;

  function terminer(texte, libelle) {
    message.textContent = texte;
    lien.textContent = libelle;
  }

  function interroger() {
    fetch(zone.dataset.adresseEtat, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) throw new Error(String(reponse.status));
        return reponse.json();
      })
      .then(function (donnees) {
        if (donnees.etat === "pret") {
          terminer(gettext("Le PDF est prêt."), gettext("Télécharger le PDF"));
          // Prêt, le lien donne le fichier : on l'enregistre au lieu de quitter la page.
          lien.setAttribute("download", "");
        } else if (donnees.etat === "a_demander") {
          terminer(
            gettext("La préparation s'est interrompue, ou les chiffres viennent de changer : relancez-la."),
            gettext("Relancer la préparation du PDF")
          );
        } else {
          suivante();
        }
      })
      .catch(suivante);
  }

  function suivante() {
    if (Date.now() > limite) {
      terminer(
        gettext("La préparation prend plus de temps que prévu. Réessayez dans quelques minutes."),
        gettext("Vérifier si le PDF est prêt")
      );
      consigne.hidden = false;
      return;
    }
    window.setTimeout(interroger, intervalle);
  }

  suivante();
})();
