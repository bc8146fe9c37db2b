"""The request toolkit every door shares: reading bodies, strict parsing, error records.

Each door (native API, Customer.io, Retently, HelpCrunch, pages) reads and parses its
requests with these pieces and maps every failure to one `ErrorRecord`; the door only
renders that record in its own wire format.
"""
