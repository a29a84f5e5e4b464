"""Page-number pagination: ``?page=2&page_size=500`` (at most 1000 rows a page)."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    page_size_query_description = "Rows per page (default 100, at most 1000)."
    page_query_description = "Which page of the results (from 1)."

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Rows in all pages."},
                "next": {**link, "description": "The next page's address (null on the last)."},
                "previous": {
                    **link,
                    "description": "The previous page's address (null on the first).",
                },
                "results": {**schema, "description": "This page's rows."},
            },
        }
