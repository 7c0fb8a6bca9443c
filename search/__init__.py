"""Search: a Tantivy index of the archive, kept narrow so another engine could stand behind it.

Three things only: the indexer adds and removes posts as archive's index queue says
(`indexer.Indexer`), and a member searches (`service.SearchService.search`), the member's
readable spaces being part of every query. Analysis (CJK bigrams with real positions),
the query language and snippets are plain functions beside them. Imports archive only.
"""
