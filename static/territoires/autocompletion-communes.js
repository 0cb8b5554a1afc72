/*
 * Autocomplétion des communes : fait de chaque champ `input[data-communes-url]` une liste
 * déroulante accessible (motif « combobox » de l'ARIA 1.2, liste en « listbox »).
 *
 * Le champ caché `<id du champ>_code` reçoit le code INSEE de la commune choisie ; toute
 * nouvelle frappe l'efface, pour qu'un nom modifié ne garde pas l'ancien code. Sans ce
 * script, le formulaire marche encore : le serveur cherche la commune d'après son nom.
 *
 * Clavier : flèches haut et bas pour parcourir, Entrée pour choisir, Échap pour fermer.
 */
(function () {
  "use strict";

  var DELAI_MS = 200;
  var LONGUEUR_MINIMALE = 2;

  function formaterNombre(nombre) {
    return nombre.toLocaleString("fr-FR");
  }

  function installer(champ) {
    var champCode = document.getElementById(champ.id + "_code");
    var adresse = champ.getAttribute("data-communes-url");
    var liste = document.createElement("ul");
    var annonce = document.createElement("div");
    var propositions = [];
    var indexActif = -1;
    var minuterie = null;
    var numeroRequete = 0;

    liste.id = champ.id + "_propositions";
    liste.className = "list-group propositions-communes shadow";
    liste.setAttribute("role", "listbox");
    liste.setAttribute("aria-label", gettext("Communes proposées"));
    liste.hidden = true;
    annonce.className = "visually-hidden";
    annonce.setAttribute("role", "status");
    annonce.setAttribute("aria-live", "polite");

    champ.setAttribute("role", "combobox");
    champ.setAttribute("aria-autocomplete", "list");
    champ.setAttribute("aria-expanded", "false");
    champ.setAttribute("aria-controls", liste.id);
    champ.parentNode.classList.add("position-relative");
    champ.insertAdjacentElement("afterend", liste);
    liste.insertAdjacentElement("afterend", annonce);

    function fermer() {
      liste.hidden = true;
      champ.setAttribute("aria-expanded", "false");
      champ.removeAttribute("aria-activedescendant");
      indexActif = -1;
    }

    function activer(index) {
      var options = liste.querySelectorAll("[role=option]");
      indexActif = index;
      options.forEach(function (option, position) {
        var actif = position === index;
        option.classList.toggle("active", actif);
        option.setAttribute("aria-selected", actif ? "true" : "false");
        if (actif) {
          champ.setAttribute("aria-activedescendant", option.id);
          option.scrollIntoView({ block: "nearest" });
        }
      });
    }

    function choisir(index) {
      var commune = propositions[index];
      if (!commune) {
        return;
      }
      champ.value = commune.libelle;
      if (champCode) {
        champCode.value = commune.code;
      }
      fermer();
      annonce.textContent = interpolate(gettext("%s choisie."), [commune.libelle]);
    }

    function afficher(resultats) {
      propositions = resultats;
      liste.textContent = "";
      if (!resultats.length) {
        fermer();
        annonce.textContent = gettext("Aucune commune ne correspond.");
        return;
      }
      resultats.forEach(function (commune, index) {
        var option = document.createElement("li");
        option.id = liste.id + "_" + index;
        option.className = "list-group-item list-group-item-action";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent =
          commune.libelle +
          (commune.precision ? " – " + commune.precision : "") +
          (commune.population !== null
            ? " – " + interpolate(gettext("%s habitants"), [formaterNombre(commune.population)])
            : "");
        option.addEventListener("mousedown", function (evenement) {
          // Garder le focus dans le champ pendant le clic.
          evenement.preventDefault();
        });
        option.addEventListener("click", function () {
          choisir(index);
        });
        liste.appendChild(option);
      });
      liste.hidden = false;
      champ.setAttribute("aria-expanded", "true");
      indexActif = -1;
      annonce.textContent = interpolate(
        ngettext(
          "%s commune proposée, flèche bas pour la choisir.",
          "%s communes proposées, flèche bas pour les parcourir.",
          resultats.length
        ),
        [resultats.length]
      );
    }

    function chercher() {
      var numero = ++numeroRequete;
      fetch(adresse + "?q=" + encodeURIComponent(champ.value.trim()), {
        headers: { Accept: "application/json" },
      })
        .then(function (reponse) {
          if (!reponse.ok) {
            throw new Error(reponse.status);
          }
          return reponse.json();
        })
        .then(function (donnees) {
          // Une réponse lente ne remplace pas celle d'une frappe plus récente.
          if (numero === numeroRequete) {
            afficher(donnees.resultats);
          }
        })
        .catch(function () {
          fermer();
          annonce.textContent = gettext(
            "La recherche de communes ne répond pas ; validez le formulaire avec le nom."
          );
        });
    }

    champ.addEventListener("input", function () {
      if (champCode) {
        champCode.value = "";
      }
      window.clearTimeout(minuterie);
      if (champ.value.trim().length < LONGUEUR_MINIMALE) {
        numeroRequete++;
        fermer();
        return;
      }
      minuterie = window.setTimeout(chercher, DELAI_MS);
    });

    champ.addEventListener("keydown", function (evenement) {
      var ouverte = !liste.hidden;
      if (evenement.key === "ArrowDown") {
        evenement.preventDefault();
        if (ouverte) {
          activer(Math.min(indexActif + 1, propositions.length - 1));
        } else if (propositions.length) {
          liste.hidden = false;
          champ.setAttribute("aria-expanded", "true");
          activer(0);
        }
      } else if (evenement.key === "ArrowUp" && ouverte) {
        evenement.preventDefault();
        activer(Math.max(indexActif - 1, 0));
      } else if (evenement.key === "Enter" && ouverte && indexActif >= 0) {
        evenement.preventDefault();
        choisir(indexActif);
      } else if (evenement.key === "Escape" && ouverte) {
        evenement.preventDefault();
        fermer();
      }
    });

    champ.addEventListener("blur", fermer);
  }

  document.querySelectorAll("input[data-communes-url]").forEach(installer);
})();
