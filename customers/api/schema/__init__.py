"""The native API's OpenAPI documentation (served at /api/schema/ and /api/docs/).

Everything here only describes the wire format to drf-spectacular: the serializers
are never used to read a request or write a response, the views keep their own.
Each operation's `extend_schema` lives in the module of its resource, so a view
carries one decorator and its description stays next to its components.
"""
