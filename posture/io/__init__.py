"""Reading and writing the product's files."""
