-- The plugin's own words, in English and Spanish. Everything the daemon says
-- (row errors, problems, its notifications) already comes in the chosen locale.

local M = {}

local catalogue = {
  start_failed = { en = 'Cannot start contact-importd: %s', es = 'No se puede iniciar contact-importd: %s' },
  daemon_exited = {
    en = 'contact-importd exited unexpectedly (code %s)',
    es = 'contact-importd terminó inesperadamente (código %s)',
  },
  rpc_error = { en = 'contact-importd: %s [%s]', es = 'contact-importd: %s [%s]' },
  opening = { en = 'Opening %s…', es = 'Abriendo %s…' },
  mapping_title = {
    en = '%s — %d rows, %d columns (%s, delimiter %s)',
    es = '%s — %d filas, %d columnas (%s, separador %s)',
  },
  mapping_help = {
    en = "Edit the field of a column ('-' skips it; add ' keep' to keep stored values), then run",
    es = "Edite el campo de una columna ('-' la omite; añada ' conservar' para no sobrescribir) y ejecute",
  },
  mapping_usage = {
    en = ':ContactImportReview {purpose} [{identifier}] [country=MX] [tags=a,b]',
    es = ':ContactImportReview {propósito} [{identificador}] [country=MX] [tags=a,b]',
  },
  mapping_fields = { en = 'Fields: %s', es = 'Campos: %s' },
  mapping_columns = {
    en = 'column | header | field | confidence | samples',
    es = 'columna | encabezado | campo | confianza | muestras',
  },
  suggested_identifier = { en = 'Suggested identifier: %s', es = 'Identificador sugerido: %s' },
  warning = { en = 'Warning: %s', es = 'Aviso: %s' },
  no_session = {
    en = 'No file is open: run :ContactImportOpen in a CSV buffer first',
    es = 'No hay ningún archivo abierto: ejecute primero :ContactImportOpen en un búfer CSV',
  },
  bad_argument = { en = 'Unknown argument: %s', es = 'Argumento desconocido: %s' },
  bad_mapping_line = {
    en = 'Line %d of the mapping buffer is not "column | header | field | …"',
    es = 'La línea %d del búfer de mapeo no tiene la forma "columna | encabezado | campo | …"',
  },
  review_title = {
    en = 'Review of %s — purpose %s, identifier %s',
    es = 'Revisión de %s — propósito %s, identificador %s',
  },
  counts = {
    en = 'Add: %d  Update: %d  Skip: %d  Errors: %d  Total: %d',
    es = 'Agregar: %d  Actualizar: %d  Omitir: %d  Errores: %d  Total: %d',
  },
  import_tag = { en = 'Import tag: %s', es = 'Etiqueta de importación: %s' },
  no_import_tag = { en = 'Import tag: none', es = 'Etiqueta de importación: ninguna' },
  error_file = { en = 'Error file: %s', es = 'Archivo de errores: %s' },
  error_rows = {
    en = 'Rows with errors (Enter jumps to the line in the CSV buffer):',
    es = 'Filas con errores (Enter salta a la línea en el búfer CSV):',
  },
  error_row = { en = 'line %d (row %d): %s', es = 'línea %d (fila %d): %s' },
  no_errors = {
    en = 'No errors. Run :ContactImportCommit to import.',
    es = 'Sin errores. Ejecute :ContactImportCommit para importar.',
  },
  some_errors = {
    en = 'Rows with errors will not be imported: fix them and run :ContactImportOpen again, or :ContactImportCommit to import the rest.',
    es = 'Las filas con errores no se importarán: corríjalas y vuelva a ejecutar :ContactImportOpen, o :ContactImportCommit para importar el resto.',
  },
  mapping_invalid = { en = 'The mapping cannot be used:', es = 'El mapeo no se puede usar:' },
  review_required = { en = 'Run :ContactImportReview first', es = 'Ejecute primero :ContactImportReview' },
  confirm_commit = {
    en = 'Import %s: add %d and update %d contacts (%d rows with errors will be left out)?',
    es = '¿Importar %s: agregar %d y actualizar %d contactos (%d filas con errores quedarán fuera)?',
  },
  confirm_choices = { en = '&Yes\n&No', es = '&Sí\n&No' },
  not_started = { en = 'Import not started.', es = 'Importación no iniciada.' },
  commit_running = {
    en = 'An import is running; :ContactImportCancel stops it.',
    es = 'Hay una importación en curso; :ContactImportCancel la detiene.',
  },
  nothing_to_cancel = { en = 'No import is running.', es = 'No hay ninguna importación en curso.' },
  cancelled = {
    en = 'Import cancelled: nothing was changed.',
    es = 'Importación cancelada: no se cambió nada.',
  },
  progress = { en = 'Contact import: %s', es = 'Importación de contactos: %s' },
  commit_done = {
    en = 'Import %s: %d imported, %d updated, %d skipped, %d with errors.',
    es = 'Importación %s: %d importados, %d actualizados, %d omitidos, %d con errores.',
  },
  result_file = { en = 'Result file: %s', es = 'Archivo de resultados: %s' },
  history_title = { en = 'Import history (newest first)', es = 'Historial de importaciones (la más reciente primero)' },
  history_columns = {
    en = 'job | state | started | file | imported updated skipped errors | tag | result file',
    es = 'trabajo | estado | inicio | archivo | importados actualizados omitidos errores | etiqueta | archivo de resultados',
  },
  history_empty = { en = 'No imports yet.', es = 'Todavía no hay importaciones.' },
  expired_file = { en = '(expired)', es = '(caducado)' },
  session_expired = {
    en = 'The import session expired: run :ContactImportOpen again.',
    es = 'La sesión de importación caducó: vuelva a ejecutar :ContactImportOpen.',
  },
}

local states = {
  running = { en = 'running', es = 'en curso' },
  completed = { en = 'completed', es = 'completada' },
  cancelled = { en = 'cancelled', es = 'cancelada' },
  failed = { en = 'failed', es = 'fallida' },
  interrupted = { en = 'interrupted', es = 'interrumpida' },
}

M.locale = 'en'

-- 'es', 'es_MX.UTF-8', 'spanish' → 'es'; anything else English.
function M.locale_from(tag)
  if type(tag) == 'string' and (tag:match('^es') or tag:lower():match('^spanish')) then
    return 'es'
  end
  return 'en'
end

function M.t(key, ...)
  local entry = catalogue[key]
  if not entry then
    return key
  end
  local text = entry[M.locale] or entry.en
  if select('#', ...) > 0 then
    return string.format(text, ...)
  end
  return text
end

function M.state(name)
  local entry = states[name]
  return entry and (entry[M.locale] or entry.en) or tostring(name)
end

return M
