"""Skills: who can take what, imported from the skill sources, counted live by the
skill-coverage widget."""
