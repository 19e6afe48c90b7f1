"""Read models: views derived from Banban's events, always droppable and rebuildable."""
