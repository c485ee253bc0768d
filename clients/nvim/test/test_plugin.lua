-- Headless test of the plugin against the real contact-importd.
-- Run by test/run.sh, which passes the daemon, a fresh workspace and the
-- example file through environment variables and checks the exit code.

local failures = 0
local function log(text)
  io.stdout:write(text .. '\n')
  io.stdout:flush()
end

local function check(condition, description, detail)
  if condition then
    log('ok   ' .. description)
  else
    failures = failures + 1
    log('FAIL ' .. description .. (detail and ('\n     ' .. tostring(detail)) or ''))
  end
  return condition
end

local function buffer_lines(buf)
  if not (buf and vim.api.nvim_buf_is_valid(buf)) then
    return {}
  end
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

local function find_line(lines, pattern)
  for n, line in ipairs(lines) do
    if line:find(pattern) then
      return n, line
    end
  end
  return nil
end

local function show(lines)
  return table.concat(lines, '\n     ')
end

local example = assert(os.getenv('CONTACT_IMPORT_EXAMPLE'), 'CONTACT_IMPORT_EXAMPLE not set')
local workspace = assert(os.getenv('CONTACT_IMPORT_WORKSPACE'), 'CONTACT_IMPORT_WORKSPACE not set')

local plugin = require('contact_import')
local questions = {}
plugin.setup({
  daemon = assert(os.getenv('CONTACT_IMPORTD'), 'CONTACT_IMPORTD not set'),
  workspace = workspace,
  locale = 'es',
  confirm = function(question)
    table.insert(questions, question)
    return true
  end,
})

local function wait()
  check(plugin.wait(30000), 'the daemon answered in time')
end

local function set_mapping_field(header, field)
  local buf = plugin.state.buffers.mapping
  for n, line in ipairs(buffer_lines(buf)) do
    local index, name, rest = line:match('^(%d+) | (.-) | [^|]* | (.*)$')
    if name == header then
      vim.api.nvim_buf_set_lines(buf, n - 1, n, false, { index .. ' | ' .. name .. ' | ' .. field .. ' | ' .. rest })
      return true
    end
  end
  return false
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(example))
  local csv_buf = vim.api.nvim_get_current_buf()

  -- 1. Open: the suggested mapping, one line per column.
  vim.cmd('ContactImportOpen')
  wait()
  check(plugin.state.session ~= nil, 'ContactImportOpen opened a session', vim.inspect(plugin.state.last_error))
  local mapping = buffer_lines(plugin.state.buffers.mapping)
  check(find_line(mapping, '^# contactos%-ejemplo%.csv — 20 filas, 7 columnas'), 'mapping title names the file',
    show(mapping))
  local expected = {
    { 0, 'Nombre', 'firstName' },
    { 1, 'Apellidos', 'lastName' },
    { 2, 'Teléfono', 'phone' },
    { 3, 'Correo', 'email' },
    { 4, 'País', 'countryCode' },
    { 5, 'Idioma', 'language' },
    { 6, 'Etiquetas', 'tags' },
  }
  for _, column in ipairs(expected) do
    local prefix = string.format('%d | %s | %s | ', column[1], column[2], column[3])
    check(find_line(mapping, '^' .. vim.pesc(prefix) .. '%d%.%d%d | '), 'mapping line ' .. prefix, show(mapping))
  end
  check(find_line(mapping, vim.pesc('| Ana, Carlos, Lucía')), 'samples show the first values', show(mapping))

  -- 2. A field the daemon does not know: 1004 with its problems listed.
  check(set_mapping_field('Idioma', 'idiomaFavorito'), 'edited the Idioma line')
  vim.cmd('ContactImportReview addAndUpdate phone country=MX')
  wait()
  local err = plugin.state.last_error or {}
  check(err.code == 1004, 'unknown field is rejected with 1004 MappingInvalid', vim.inspect(err))
  local review = buffer_lines(plugin.state.buffers.review)
  check(review[1] == 'El mapeo no se puede usar:', 'review buffer explains the mapping problem', show(review))
  check(find_line(review, '%(unknownField%)'), 'the problem code is listed', show(review))

  -- 3. Skip the column instead, and review: counts and error rows.
  check(set_mapping_field('Idioma', '-'), 'skipped the Idioma column')
  vim.cmd('ContactImportReview addAndUpdate phone country=MX')
  wait()
  review = buffer_lines(plugin.state.buffers.review)
  check(plugin.state.review ~= nil, 'review succeeded', vim.inspect(plugin.state.last_error))
  check(review[1] == 'Revisión de contactos-ejemplo.csv — propósito addAndUpdate, identificador phone',
    'review title', show(review))
  check(review[2] == 'Agregar: 16  Actualizar: 0  Omitir: 0  Errores: 4  Total: 20', 'review counts', show(review))
  check(find_line(review, '^Etiqueta de importación: import%-%d+%-%d+'), 'import tag shown', show(review))
  local _, error_file_line = find_line(review, '^Archivo de errores: ')
  local error_file = error_file_line and error_file_line:gsub('^Archivo de errores: ', '')
  check(error_file and vim.fn.filereadable(error_file) == 1, 'error file exists', error_file_line)
  local error_lines = {}
  for _, line in ipairs(review) do
    local csv_line = line:match('^  línea (%d+) %(fila %d+%): ')
    if csv_line then
      table.insert(error_lines, tonumber(csv_line))
    end
  end
  check(vim.deep_equal(error_lines, { 9, 13, 14, 15 }), 'error rows are listed with their lines',
    show(review))

  -- 4. Enter on an error row jumps to that line of the CSV buffer.
  local review_win = vim.fn.bufwinid(plugin.state.buffers.review)
  vim.api.nvim_set_current_win(review_win)
  local target = find_line(review, '^  línea 13 ')
  vim.api.nvim_win_set_cursor(review_win, { target or 1, 0 })
  vim.cmd([[execute "normal \<CR>"]])
  check(vim.api.nvim_get_current_buf() == csv_buf, 'Enter switched to the CSV buffer')
  check(vim.api.nvim_win_get_cursor(0)[1] == 13, 'cursor is on line 13',
    vim.inspect(vim.api.nvim_win_get_cursor(0)))

  -- 5. Unsaved edits count: give row 12 its name, re-open, review again.
  vim.api.nvim_buf_set_lines(csv_buf, 12, 13, false, { 'Rosa,Vázquez,+52 55 2468 1357,sin.nombre@example.com,México,Español,' })
  vim.cmd('ContactImportOpen')
  wait()
  check(set_mapping_field('Idioma', '-'), 'skipped the Idioma column again')
  vim.cmd('ContactImportReview addAndUpdate phone country=MX tags=nvim')
  wait()
  review = buffer_lines(plugin.state.buffers.review)
  check(review[2] == 'Agregar: 17  Actualizar: 0  Omitir: 0  Errores: 3  Total: 20',
    'the unsaved fix in the buffer is reviewed', show(review))

  -- 6. Commit: confirmation, progress, result file.
  vim.cmd('ContactImportCommit')
  wait()
  check(#questions == 1 and questions[1]:find('agregar 17 y actualizar 0', 1, true),
    'commit asked for confirmation', vim.inspect(questions))
  local result = plugin.state.last_result
  check(result and result.state == 'completed', 'commit completed', vim.inspect(plugin.state.last_error))
  local kinds = {}
  for _, value in ipairs(plugin.state.progress_log) do
    kinds[value.kind] = true
  end
  check(kinds['begin'] and kinds['end'], 'progress was shown', vim.inspect(plugin.state.progress_log))
  review = buffer_lines(plugin.state.buffers.review)
  check(find_line(review, '^Importación completada: 17 importados, 0 actualizados, 0 omitidos, 3 con errores%.$'),
    'commit counts reported', show(review))
  local _, result_line = find_line(review, '^Archivo de resultados: ')
  local result_file = result_line and result_line:gsub('^Archivo de resultados: ', '')
  check(result_file and vim.fn.filereadable(result_file) == 1, 'result file exists', result_line)

  -- 7. Commit again without a new review: nothing to commit.
  -- A usage error is a Vim error, as for any command.
  local refused = not pcall(vim.cmd, 'ContactImportCommit!')
  check(refused and plugin.state.messages[#plugin.state.messages] == 'Ejecute primero :ContactImportReview',
    'a spent review cannot be committed twice', plugin.state.messages[#plugin.state.messages])

  -- 8. History lists the job.
  vim.cmd('ContactImportHistory')
  wait()
  local history = buffer_lines(plugin.state.buffers.history)
  check(history[1] == 'Historial de importaciones (la más reciente primero)', 'history title', show(history))
  check(history[3] and history[3]:find(' | completada | ', 1, true)
    and history[3]:find(' | contactos-ejemplo.csv | 17 0 0 3 | ', 1, true), 'history lists the import',
    show(history))

  -- 8b. A review of updates shows each before → after; :ContactImportDiff shows a line's.
  vim.cmd('enew')
  vim.api.nvim_buf_set_name(0, 'cambios.csv')
  vim.api.nvim_buf_set_lines(0, 0, -1, false, { 'Nombre,Apellidos,Teléfono', 'Ana,García Pérez,+52 55 1234 5678' })
  vim.cmd('ContactImportOpen')
  wait()
  vim.cmd('ContactImportReview addAndUpdate phone')
  wait()
  review = buffer_lines(plugin.state.buffers.review)
  check(find_line(review, vim.pesc('línea 2: lastName: García López → García Pérez')), 'the review shows before → after',
    show(review))
  local diff = plugin.diff(2)
  check(diff and diff[1] == 'línea 2: lastName: García López → García Pérez', 'diff of the row under the cursor',
    vim.inspect(diff))

  -- 8c. The first import undone from the editor; history says so.
  vim.cmd('ContactImportUndo! 1')
  wait()
  wait()
  local undone = plugin.state.last_undo
  check(undone and undone.counts and undone.counts.removed == 17, 'the import was undone', vim.inspect(undone))
  history = buffer_lines(plugin.state.buffers.history)
  check(find_line(history, '^1 | deshecha | '), 'history shows the undone import', show(history))

  -- 9. A long import cancelled from the editor changes nothing.
  vim.cmd('enew')
  vim.api.nvim_buf_set_name(0, 'grande.csv')
  local rows = { 'Nombre,Teléfono' }
  for n = 1, 40000 do
    rows[#rows + 1] = string.format('Persona %d,+52 %d', n, 5512000000 + n)
  end
  vim.api.nvim_buf_set_lines(0, 0, -1, false, rows)
  vim.cmd('ContactImportOpen')
  wait()
  vim.cmd('ContactImportReview addNew phone')
  wait()
  check(plugin.state.review and plugin.state.review.counts.add == 40000, 'big buffer reviewed',
    vim.inspect(plugin.state.review and plugin.state.review.counts))
  local before = #plugin.state.progress_log
  vim.cmd('ContactImportCommit!')
  -- Cancel once the job reports progress, i.e. once it is surely running.
  vim.wait(30000, function()
    for n = before + 1, #plugin.state.progress_log do
      if plugin.state.progress_log[n].kind == 'report' then
        return true
      end
    end
    return false
  end, 5)
  vim.cmd('ContactImportCancel')
  wait()
  review = buffer_lines(plugin.state.buffers.review)
  check(review[#review] == 'Importación cancelada: no se cambió nada.', 'cancelled import reported', show(review))
  vim.cmd('ContactImportHistory')
  wait()
  history = buffer_lines(plugin.state.buffers.history)
  check(history[3] and history[3]:find(' | cancelada | ', 1, true), 'history shows the cancelled import',
    show(history))

  -- No callback of the plugin failed along the way (those are reported as "contact-import: …").
  local internal = vim.tbl_filter(function(message)
    return message:find('^contact%-import: ') ~= nil
  end, plugin.state.messages)
  check(#internal == 0, 'no plugin error along the way', vim.inspect(internal))

  -- 10. The daemon shuts down cleanly.
  check(plugin.stop() == 0, 'daemon exited with code 0 after shutdown')

  -- 11. Every message of the plugin exists in English, Spanish and Portuguese.
  local i18n = require('contact_import.i18n')
  local missing = i18n.missing_translations()
  check(#missing == 0, 'every plugin message has en, es and pt', vim.inspect(missing))
  check(i18n.locale_from('pt_BR.UTF-8') == 'pt', 'pt_BR.UTF-8 chooses Portuguese')

  -- 12. In Portuguese, a buffer with a multi-line cell and a very wide one: one
  -- table line per column, wide cells cut with '…', and the daemon speaks Portuguese.
  plugin.setup({ locale = 'pt' })
  vim.cmd('enew')
  vim.api.nvim_buf_set_name(0, 'multilinha.csv')
  local wide = string.rep('muito largo ', 20)
  vim.api.nvim_buf_set_lines(0, 0, -1, false, {
    'Nome,Telefone,Observações,"Cabeçalho ' .. string.rep('comprido ', 8) .. '"',
    'Ana,+55 11 91234 5671,"primeira linha', 'segunda linha",' .. wide,
    'Bia,+55 11 91234 5672,curta,x',
  })
  vim.cmd('ContactImportOpen')
  wait()
  mapping = buffer_lines(plugin.state.buffers.mapping)
  check(mapping[1] == '# multilinha.csv — 2 linhas, 4 colunas (utf-8, separador ,)', 'mapping title in Portuguese',
    show(mapping))
  check(find_line(mapping, '^# coluna | cabeçalho | campo | confiança | amostras$'), 'mapping columns in Portuguese',
    show(mapping))
  local table_lines = vim.tbl_filter(function(line)
    return line:match('^%d+ | ') ~= nil
  end, mapping)
  check(#table_lines == 4, 'one mapping line per column, multi-line cell included', show(mapping))
  check(find_line(mapping, vim.pesc('| primeira linha⏎segunda …, curta')), 'a line break shows as ⏎',
    show(mapping))
  local _, wide_line = find_line(mapping, '^3 | ')
  check(wide_line and wide_line:find('…', 1, true) and vim.fn.strdisplaywidth(wide_line) < 100,
    'a wide header and sample are cut with …', wide_line)
  vim.cmd('ContactImportReview addNew phone')
  wait()
  review = buffer_lines(plugin.state.buffers.review)
  check(review[1] == 'Revisão de multilinha.csv — propósito addNew, identificador phone', 'review title in Portuguese',
    show(review))
  check(review[2] == 'Adicionar: 2  Atualizar: 0  Ignorar: 0  Erros: 0  Total: 2', 'review counts in Portuguese',
    show(review))
  check(plugin.stop() == 0, 'the Portuguese daemon exited with code 0')
end

local ok, failure = xpcall(run, debug.traceback)
if not ok then
  failures = failures + 1
  log('FAIL test script error: ' .. tostring(failure))
  pcall(plugin.stop)
end
log(failures == 0 and 'nvim plugin: all checks passed' or string.format('nvim plugin: %d check(s) failed', failures))
vim.cmd(failures == 0 and 'qall!' or 'cquit 1')
