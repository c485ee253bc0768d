-- The plugin's own words, in English, Spanish and Brazilian Portuguese. Everything
-- the daemon says (row errors, problems, its notifications) already comes in the
-- chosen locale. Every entry has all three languages: test_plugin.lua checks it.

local M = {}

M.LOCALES = { 'en', 'es', 'pt' }

local catalogue = {
  start_failed = {
    en = 'Cannot start contact-importd: %s',
    es = 'No se puede iniciar contact-importd: %s',
    pt = 'Não é possível iniciar o contact-importd: %s',
  },
  daemon_exited = {
    en = 'contact-importd exited unexpectedly (code %s)',
    es = 'contact-importd terminó inesperadamente (código %s)',
    pt = 'o contact-importd terminou inesperadamente (código %s)',
  },
  rpc_error = { en = 'contact-importd: %s [%s]', es = 'contact-importd: %s [%s]', pt = 'contact-importd: %s [%s]' },
  opening = { en = 'Opening %s…', es = 'Abriendo %s…', pt = 'Abrindo %s…' },
  mapping_title = {
    en = '%s — %d rows, %d columns (%s, delimiter %s)',
    es = '%s — %d filas, %d columnas (%s, separador %s)',
    pt = '%s — %d linhas, %d colunas (%s, separador %s)',
  },
  mapping_help = {
    en = "Edit the field of a column ('-' skips it; add ' keep' to keep stored values), then run",
    es = "Edite el campo de una columna ('-' la omite; añada ' conservar' para no sobrescribir) y ejecute",
    pt = "Edite o campo de uma coluna ('-' a ignora; acrescente ' manter' para não sobrescrever) e execute",
  },
  mapping_usage = {
    en = ':ContactImportReview {purpose} [{identifier}] [country=MX] [tags=a,b]',
    es = ':ContactImportReview {propósito} [{identificador}] [country=MX] [tags=a,b]',
    pt = ':ContactImportReview {propósito} [{identificador}] [country=BR] [tags=a,b]',
  },
  mapping_fields = { en = 'Fields: %s', es = 'Campos: %s', pt = 'Campos: %s' },
  mapping_columns = {
    en = 'column | header | field | confidence | samples',
    es = 'columna | encabezado | campo | confianza | muestras',
    pt = 'coluna | cabeçalho | campo | confiança | amostras',
  },
  suggested_identifier = {
    en = 'Suggested identifier: %s',
    es = 'Identificador sugerido: %s',
    pt = 'Identificador sugerido: %s',
  },
  warning = { en = 'Warning: %s', es = 'Aviso: %s', pt = 'Aviso: %s' },
  no_session = {
    en = 'No file is open: run :ContactImportOpen in a CSV buffer first',
    es = 'No hay ningún archivo abierto: ejecute primero :ContactImportOpen en un búfer CSV',
    pt = 'Nenhum arquivo aberto: execute primeiro :ContactImportOpen em um buffer CSV',
  },
  bad_argument = { en = 'Unknown argument: %s', es = 'Argumento desconocido: %s', pt = 'Argumento desconhecido: %s' },
  bad_mapping_line = {
    en = 'Line %d of the mapping buffer is not "column | header | field | …"',
    es = 'La línea %d del búfer de mapeo no tiene la forma "columna | encabezado | campo | …"',
    pt = 'A linha %d do buffer de mapeamento não tem a forma "coluna | cabeçalho | campo | …"',
  },
  review_title = {
    en = 'Review of %s — purpose %s, identifier %s',
    es = 'Revisión de %s — propósito %s, identificador %s',
    pt = 'Revisão de %s — propósito %s, identificador %s',
  },
  counts = {
    en = 'Add: %d  Update: %d  Skip: %d  Errors: %d  Total: %d',
    es = 'Agregar: %d  Actualizar: %d  Omitir: %d  Errores: %d  Total: %d',
    pt = 'Adicionar: %d  Atualizar: %d  Ignorar: %d  Erros: %d  Total: %d',
  },
  import_tag = { en = 'Import tag: %s', es = 'Etiqueta de importación: %s', pt = 'Etiqueta da importação: %s' },
  no_import_tag = {
    en = 'Import tag: none',
    es = 'Etiqueta de importación: ninguna',
    pt = 'Etiqueta da importação: nenhuma',
  },
  error_file = { en = 'Error file: %s', es = 'Archivo de errores: %s', pt = 'Arquivo de erros: %s' },
  error_rows = {
    en = 'Rows with errors (Enter jumps to the line in the CSV buffer):',
    es = 'Filas con errores (Enter salta a la línea en el búfer CSV):',
    pt = 'Linhas com erros (Enter pula para a linha no buffer CSV):',
  },
  error_row = { en = 'line %d (row %d): %s', es = 'línea %d (fila %d): %s', pt = 'linha %d (registro %d): %s' },
  no_errors = {
    en = 'No errors. Run :ContactImportCommit to import.',
    es = 'Sin errores. Ejecute :ContactImportCommit para importar.',
    pt = 'Sem erros. Execute :ContactImportCommit para importar.',
  },
  some_errors = {
    en = 'Rows with errors will not be imported: fix them and run :ContactImportOpen again, or :ContactImportCommit to import the rest.',
    es = 'Las filas con errores no se importarán: corríjalas y vuelva a ejecutar :ContactImportOpen, o :ContactImportCommit para importar el resto.',
    pt = 'As linhas com erros não serão importadas: corrija-as e execute :ContactImportOpen de novo, ou :ContactImportCommit para importar o resto.',
  },
  mapping_invalid = {
    en = 'The mapping cannot be used:',
    es = 'El mapeo no se puede usar:',
    pt = 'O mapeamento não pode ser usado:',
  },
  review_required = {
    en = 'Run :ContactImportReview first',
    es = 'Ejecute primero :ContactImportReview',
    pt = 'Execute primeiro :ContactImportReview',
  },
  confirm_commit = {
    en = 'Import %s: add %d and update %d contacts (%d rows with errors will be left out)?',
    es = '¿Importar %s: agregar %d y actualizar %d contactos (%d filas con errores quedarán fuera)?',
    pt = 'Importar %s: adicionar %d e atualizar %d contatos (%d linhas com erros ficarão de fora)?',
  },
  confirm_choices = { en = '&Yes\n&No', es = '&Sí\n&No', pt = '&Sim\n&Não' },
  not_started = { en = 'Import not started.', es = 'Importación no iniciada.', pt = 'Importação não iniciada.' },
  commit_running = {
    en = 'An import is running; :ContactImportCancel stops it.',
    es = 'Hay una importación en curso; :ContactImportCancel la detiene.',
    pt = 'Há uma importação em andamento; :ContactImportCancel a interrompe.',
  },
  nothing_to_cancel = {
    en = 'No import is running.',
    es = 'No hay ninguna importación en curso.',
    pt = 'Nenhuma importação em andamento.',
  },
  cancelled = {
    en = 'Import cancelled: nothing was changed.',
    es = 'Importación cancelada: no se cambió nada.',
    pt = 'Importação cancelada: nada foi alterado.',
  },
  progress = { en = 'Contact import: %s', es = 'Importación de contactos: %s', pt = 'Importação de contatos: %s' },
  commit_done = {
    en = 'Import %s: %d imported, %d updated, %d skipped, %d with errors.',
    es = 'Importación %s: %d importados, %d actualizados, %d omitidos, %d con errores.',
    pt = 'Importação %s: %d importados, %d atualizados, %d ignorados, %d com erros.',
  },
  result_file = { en = 'Result file: %s', es = 'Archivo de resultados: %s', pt = 'Arquivo de resultados: %s' },
  history_title = {
    en = 'Import history (newest first)',
    es = 'Historial de importaciones (la más reciente primero)',
    pt = 'Histórico de importações (a mais recente primeiro)',
  },
  history_columns = {
    en = 'job | state | started | file | imported updated skipped errors | tag | result file',
    es = 'trabajo | estado | inicio | archivo | importados actualizados omitidos errores | etiqueta | archivo de resultados',
    pt = 'trabalho | estado | início | arquivo | importados atualizados ignorados erros | etiqueta | arquivo de resultados',
  },
  history_empty = { en = 'No imports yet.', es = 'Todavía no hay importaciones.', pt = 'Ainda não há importações.' },
  expired_file = { en = '(expired)', es = '(caducado)', pt = '(expirado)' },
  unchanged_count = {
    en = '%d of the %d to update are already up to date',
    es = '%d de los %d por actualizar ya están al día',
    pt = '%d dos %d a atualizar já estão em dia',
  },
  changes_title = {
    en = 'What would change (:ContactImportDiff on a CSV line shows that row):',
    es = 'Qué cambiaría (:ContactImportDiff en una línea del CSV muestra esa fila):',
    pt = 'O que mudaria (:ContactImportDiff numa linha do CSV mostra essa linha):',
  },
  change_field = { en = 'line %d: %s: %s → %s', es = 'línea %d: %s: %s → %s', pt = 'linha %d: %s: %s → %s' },
  change_tags = { en = 'line %d: tags +%s -%s', es = 'línea %d: etiquetas +%s -%s', pt = 'linha %d: etiquetas +%s -%s' },
  no_change = { en = 'line %d: already up to date', es = 'línea %d: ya está al día', pt = 'linha %d: já está em dia' },
  diff_none = {
    en = 'Line %d is not a contact to update in the last review.',
    es = 'La línea %d no es un contacto por actualizar en la última revisión.',
    pt = 'A linha %d não é um contato a atualizar na última revisão.',
  },
  undo_confirm = {
    en = 'Undo import %s (%s)? Contacts changed since keep their changes.',
    es = '¿Deshacer la importación %s (%s)? Los contactos cambiados desde entonces conservan sus cambios.',
    pt = 'Desfazer a importação %s (%s)? Os contatos alterados desde então mantêm suas alterações.',
  },
  undo_done = {
    en = 'Import %s undone: %d removed, %d restored, %d kept as changed since.',
    es = 'Importación %s deshecha: %d eliminados, %d restaurados, %d conservados por cambios posteriores.',
    pt = 'Importação %s desfeita: %d removidos, %d restaurados, %d mantidos por alterações posteriores.',
  },
  undo_none = {
    en = 'No completed import to undo.',
    es = 'No hay ninguna importación completada que deshacer.',
    pt = 'Não há nenhuma importação concluída para desfazer.',
  },
  session_expired = {
    en = 'The import session expired: run :ContactImportOpen again.',
    es = 'La sesión de importación caducó: vuelva a ejecutar :ContactImportOpen.',
    pt = 'A sessão de importação expirou: execute :ContactImportOpen de novo.',
  },
}

local states = {
  running = { en = 'running', es = 'en curso', pt = 'em andamento' },
  completed = { en = 'completed', es = 'completada', pt = 'concluída' },
  cancelled = { en = 'cancelled', es = 'cancelada', pt = 'cancelada' },
  failed = { en = 'failed', es = 'fallida', pt = 'com falha' },
  interrupted = { en = 'interrupted', es = 'interrumpida', pt = 'interrompida' },
  undone = { en = 'undone', es = 'deshecha', pt = 'desfeita' },
}

M.locale = 'en'

-- 'es', 'es_MX.UTF-8', 'spanish' → 'es'; 'pt', 'pt_BR.UTF-8', 'portuguese' → 'pt';
-- anything else English.
function M.locale_from(tag)
  if type(tag) ~= 'string' then
    return 'en'
  end
  local lower = tag:lower()
  if lower:match('^es') or lower:match('^spanish') then
    return 'es'
  end
  if lower:match('^pt') or lower:match('^portug') then
    return 'pt'
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

-- Every key and state lacking a language, as "key.locale" (empty when complete).
function M.missing_translations()
  local missing = {}
  for _, tables in ipairs({ catalogue, states }) do
    for key, entry in pairs(tables) do
      for _, locale in ipairs(M.LOCALES) do
        if type(entry[locale]) ~= 'string' or entry[locale] == '' then
          table.insert(missing, key .. '.' .. locale)
        end
      end
    end
  end
  table.sort(missing)
  return missing
end

return M
