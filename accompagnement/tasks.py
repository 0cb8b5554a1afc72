"""Les tâches de l'accompagnement : aucune pour l'instant. Les rappels J-7 et J-1 aux référents
convoqués sont des courriels datés du catalogue, balayés par `relances.balayer`."""
