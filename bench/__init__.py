"""Banc d'essai de Relais à l'échelle d'un programme national (issue #10)."""
