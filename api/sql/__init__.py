"""SQL of each resource, one module per resource; parameterized only."""
