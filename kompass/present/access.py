"""Swedish for the read-only mode and the store's schema guard (issue 13)."""

from __future__ import annotations

# The Data page of a read-only app (`kompass serve --read-only`): why there is no upload,
# and how new reports arrive.
READ_ONLY_NOTE = (
    "Den här kompassen visar data men tar inte emot filer: uppladdning och import är "
    "avstängda. Nya rapporter och resultat läggs in av den som sköter servern (med "
    "kommandot kompass ingest eller kompass import-scores) och syns här när du laddar om "
    "sidan."
)
# A read-only app started on a database that is not there.
NO_DATABASE = (
    "Databasen finns inte ännu. Den här kompassen är skrivskyddad och bygger ingen egen "
    "databas; be den som sköter servern att lägga in rapporter med kompass ingest."
)
# A read-only app on a database that an older kompass wrote: the writer upgrades it.
OLDER_STORE = (
    "Databasen har skrivits av en äldre version av kompass. Den uppgraderas nästa gång "
    "den som sköter servern lägger in data (kompass ingest); till dess kan en del sidor "
    "sakna uppgifter."
)
# Sign-in is configured (kompass serve with KOMPASS_SIGN_IN) and nobody has signed in.
SIGN_IN_NOTE = (
    "Att ladda upp rapporter och importera resultat kräver inloggning; bara de som den som "
    "sköter servern har utsett får lägga in data. Alla kan läsa."
)
SIGN_IN_BUTTON = "Logga in"
# An upload or import by someone who may not write (errors code "write_refused").
WRITE_REFUSED = "Du får inte lägga in data här, så inget sparades."


def not_a_writer(email: str) -> str:
    """The signed-in user is not one of the named writers (the address made inert by ui)."""
    return (
        f"Du är inloggad som {email}, som inte finns bland dem som får lägga in data. "
        "Be den som sköter servern om behörighet; alla kan läsa."
    )


# A database that a newer kompass wrote (errors code "store_too_new"); {name} is
# " (kompass.duckdb)", as in strings.STORE_ERRORS.
TOO_NEW = (
    "Databasen{name} har skrivits av en nyare version av kompass än den här, så den "
    "öppnas inte. Uppgradera kompass på servern; inget har ändrats i databasen."
)
