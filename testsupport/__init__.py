"""What the tests share: data builders and personas, races, API clients, the browser. Kept
outside the `tandem` package, so nothing of it ships."""
