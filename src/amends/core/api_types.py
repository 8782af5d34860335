"""Types the API's input schemas share."""

from typing import Annotated

from pydantic import Field

# A row's id as a client may send it: a positive 64-bit integer. Larger numbers never reach the database
# (SQLite raises OverflowError on them: a 500 that schemathesis found), they are a 422 like any bad input.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
