"""Reading a DTM master list into checked rows (``rows.DtmRow``), with a report naming each
problem's row and column: the file's layout (``columns``), its places (``places``) and each
row's checks (``rows``). Nothing here writes; ``services.dtm`` commits a clean parse."""
