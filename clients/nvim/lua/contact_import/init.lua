-- Contact import from a CSV buffer, driven by contact-importd.
--
-- The plugin holds no import logic: the daemon reads the buffer's text,
-- suggests the mapping, checks every row and writes the result file. The
-- plugin turns those answers into buffers and commands. One daemon per editor.

local rpc = require('contact_import.rpc')
local i18n = require('contact_import.i18n')
local t = i18n.t
local is_null = rpc.is_null

local M = {}

M.config = {
  daemon = nil, -- path; default: $CONTACT_IMPORTD, else `contact-importd` on PATH
  workspace = nil, -- default: the daemon's embedded workspace
  locale = nil, -- 'en', 'es' or 'pt'; default: from $LANG
  default_country = nil, -- e.g. 'MX', used when :ContactImportReview gives no country=
  extra_args = {}, -- more daemon flags, e.g. { '--session-ttl', '600' }
  confirm = nil, -- function(question) -> boolean; default: vim.fn.confirm
}

-- The daemon's own lists, from `initialize`'s capabilities (importProvider); empty until then.
M.PURPOSES = {}
M.IDENTIFIERS = {}
local BUILTIN_FIELDS = { 'firstName', 'lastName', 'phone', 'email', 'language', 'countryCode', 'tags' }

-- Everything the plugin knows, kept in one place so tests can look at it.
M.state = {
  connection = nil,
  busy = 0, -- requests waiting for a response
  fields = nil, -- fields/list result
  session = nil, -- {id, csv_buf, file, columns, identifier, warnings}
  review = nil, -- {id, purpose, identifier, counts, error_rows = {...}}
  commit_request = nil, -- id of the running import/commit
  last_result = nil, -- import/commit result
  last_error = nil, -- JSON-RPC error object of the last failed request
  progress_log = {}, -- every $/progress value shown
  messages = {}, -- what the plugin told the user
  buffers = {},
  review_lines = {}, -- review buffer line → CSV line
}

local function notify(text, level)
  table.insert(M.state.messages, text)
  vim.notify(text, level or vim.log.levels.INFO)
end

local function daemon_command()
  local path = M.config.daemon or vim.g.contact_import_daemon or os.getenv('CONTACT_IMPORTD')
  if path == nil or path == '' then
    path = 'contact-importd'
  end
  local cmd = { path }
  local workspace = M.config.workspace or vim.g.contact_import_workspace
  if workspace then
    vim.list_extend(cmd, { '--workspace', workspace })
  end
  vim.list_extend(cmd, M.config.extra_args or {})
  return cmd
end

local function report_error(err)
  M.state.last_error = err
  if err.code == 1002 then
    notify(t('session_expired'), vim.log.levels.WARN)
  else
    notify(t('rpc_error', tostring(err.message), tostring(err.code)), vim.log.levels.ERROR)
  end
end

-- Sends a request, counting it as busy, and calls `on_result(result)` on
-- success; errors are reported unless `on_error(err)` returns true.
local function request(method, params, on_result, on_error)
  local connection = M.state.connection
  M.state.busy = M.state.busy + 1
  return connection:request(method, params, function(err, result)
    M.state.busy = M.state.busy - 1
    if err then
      if not (on_error and on_error(err)) then
        report_error(err)
      end
      return
    end
    local ok, failure = pcall(on_result, result)
    if not ok then
      notify('contact-import: ' .. tostring(failure), vim.log.levels.ERROR)
    end
  end)
end

local function on_progress(value)
  if type(value) ~= 'table' then
    return
  end
  table.insert(M.state.progress_log, value)
  local text
  if value.kind == 'begin' then
    text = tostring(is_null(value.title) and '' or value.title)
  elseif value.kind == 'report' then
    text = (is_null(value.percentage) and '' or (tostring(value.percentage) .. '% '))
      .. (is_null(value.message) and '' or tostring(value.message))
  else
    -- Not the end message: the summary that follows says the same, with the file's path.
    text = '100%'
  end
  vim.api.nvim_echo({ { t('progress', text) } }, false, {})
  vim.cmd('redraw')
end

local function on_notification(method, params)
  if method == '$/progress' and type(params) == 'table' then
    on_progress(params.value)
  elseif method == 'window/showMessage' and type(params) == 'table' then
    -- The news of our own running commit is reported by M.commit, with the result file;
    -- errors and warnings always get through.
    local informational = params.type ~= 1 and params.type ~= 2
    if not (informational and M.state.commit_request) then
      notify(tostring(params.message), params.type == 1 and vim.log.levels.ERROR or vim.log.levels.INFO)
    end
  elseif method == 'import/sessionExpired' and type(params) == 'table' then
    if M.state.session and M.state.session.id == params.sessionId then
      M.state.session = nil
      M.state.review = nil
      notify(t('session_expired'), vim.log.levels.WARN)
    end
  end
end

-- Starts and initializes the daemon if needed, then calls `continue()`.
local function with_daemon(continue)
  local connection = M.state.connection
  if connection and not connection.exited then
    return continue()
  end
  local started, failure = rpc.start(daemon_command(), {
    on_notification = on_notification,
    on_exit = function(code, stderr_tail)
      if M.state.connection and not M.state.stopping then
        notify(t('daemon_exited', tostring(code)) .. '\n' .. stderr_tail, vim.log.levels.ERROR)
      end
      M.state.connection = nil
      M.state.session = nil
      M.state.review = nil
      M.state.commit_request = nil
    end,
  })
  if not started then
    notify(t('start_failed', failure), vim.log.levels.ERROR)
    return
  end
  M.state.connection = started
  M.state.stopping = false
  local params = {
    processId = vim.fn.getpid(),
    clientInfo = { name = 'contact-import.nvim', version = '0.1.0' },
    locale = i18n.locale,
    capabilities = { window = { workDoneProgress = true } },
  }
  request('initialize', params, function(result)
    local provider = result and result.capabilities and result.capabilities.importProvider or {}
    M.PURPOSES = provider.purposes or {}
    M.IDENTIFIERS = provider.identifiers or {}
    started:notify('initialized', vim.empty_dict())
    request('fields/list', vim.empty_dict(), function(result)
      M.state.fields = result.fields
    end, function()
      return true -- field labels are a convenience; keys always work
    end)
    continue()
  end)
end

-- Buffers ------------------------------------------------------------------

local function scratch_buffer(kind, name)
  local buf = M.state.buffers[kind]
  if buf and vim.api.nvim_buf_is_valid(buf) then
    return buf
  end
  buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_name(buf, name)
  vim.api.nvim_buf_set_option(buf, 'bufhidden', 'hide')
  vim.api.nvim_buf_set_option(buf, 'swapfile', false)
  vim.api.nvim_buf_set_option(buf, 'filetype', 'contactimport')
  M.state.buffers[kind] = buf
  return buf
end

local function show_buffer(buf, placement)
  local win = vim.fn.bufwinid(buf)
  if win ~= -1 then
    return win
  end
  local anchor = placement.below and M.state.buffers[placement.below]
  local anchor_win = anchor and vim.fn.bufwinid(anchor) or -1
  if anchor_win ~= -1 then
    vim.api.nvim_set_current_win(anchor_win)
    vim.cmd('belowright split')
  else
    vim.cmd('vertical botright split')
    vim.cmd('vertical resize ' .. tostring(placement.width or 72))
  end
  win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_buf(win, buf)
  return win
end

local function set_lines(buf, lines, modifiable)
  vim.api.nvim_buf_set_option(buf, 'modifiable', true)
  -- A buffer line cannot hold a line break: a message quoting a multi-line cell keeps one line.
  local single = {}
  for n, line in ipairs(lines) do
    single[n] = (tostring(line):gsub('\r\n', '⏎'):gsub('[\r\n]', '⏎'))
  end
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, single)
  vim.api.nvim_buf_set_option(buf, 'modifiable', modifiable or false)
  vim.api.nvim_buf_set_option(buf, 'modified', false)
end

-- A cell of a table line: '|' separates cells, so it becomes '¦'; a line break
-- (a quoted multi-line CSV cell) is shown as '⏎' so the table keeps one line per
-- column; a cell wider than `width` display columns is cut with '…'.
local function cell(text, width)
  local shown = tostring(text):gsub('|', '¦'):gsub('\r\n', '⏎'):gsub('[\r\n]', '⏎'):gsub('\t', ' ')
  if width and vim.fn.strdisplaywidth(shown) > width then
    local cut = shown
    while vim.fn.strdisplaywidth(cut) > width - 1 do
      cut = vim.fn.strcharpart(cut, 0, vim.fn.strchars(cut) - 1)
    end
    shown = cut .. '…'
  end
  return shown
end
M.cell = cell

-- Widths of the mapping table's cells.
M.HEADER_WIDTH = 30
M.SAMPLE_WIDTH = 24

local function field_keys()
  local keys = {}
  for _, field in ipairs(M.state.fields or {}) do
    table.insert(keys, field.key)
  end
  if #keys == 0 then
    keys = vim.deepcopy(BUILTIN_FIELDS)
  end
  return keys
end

-- Mapping ------------------------------------------------------------------

local function render_mapping(opened, suggestion)
  local session = M.state.session
  local file = opened.file or {}
  local lines = {
    '# ' .. t('mapping_title', file.name or '?', file.rowCount or 0, file.columnCount or 0,
      tostring(file.encoding or '?'), tostring(file.delimiter or '?')),
    '# ' .. t('mapping_help'),
    '#   ' .. t('mapping_usage'),
    '# ' .. t('mapping_fields', table.concat(field_keys(), ' ')),
  }
  if not is_null(suggestion.identifier) then
    table.insert(lines, '# ' .. t('suggested_identifier', suggestion.identifier))
  end
  for _, warning in ipairs(opened.warnings or {}) do
    table.insert(lines, '# ' .. t('warning', tostring(warning.message)))
  end
  table.insert(lines, '# ' .. t('mapping_columns'))
  local by_column = {}
  for _, entry in ipairs(suggestion.mapping or {}) do
    by_column[entry.column] = entry
  end
  for _, column in ipairs(session.columns) do
    local entry = by_column[column.index] or {}
    local field = is_null(entry.field) and '-' or entry.field
    local samples = {}
    for n, sample in ipairs(column.samples or {}) do
      if n > 3 then
        break
      end
      table.insert(samples, cell(sample, M.SAMPLE_WIDTH))
    end
    table.insert(lines, string.format('%d | %s | %s | %.2f | %s', column.index, cell(column.header, M.HEADER_WIDTH),
      field, tonumber(entry.confidence) or 0, table.concat(samples, ', ')))
  end
  local buf = scratch_buffer('mapping', 'contact-import://mapping')
  set_lines(buf, lines, true)
  show_buffer(buf, { width = 80 })
end

local function resolve_field(text)
  local lower = text:lower()
  for _, field in ipairs(M.state.fields or {}) do
    if field.key:lower() == lower or (type(field.label) == 'string' and field.label:lower() == lower) then
      return field.key
    end
  end
  return text -- unknown names are the daemon's to judge (1004 unknownField)
end

-- The review's `mapping` param from the (possibly edited) mapping buffer.
function M.mapping_from_buffer()
  local buf = M.state.buffers.mapping
  if not (buf and vim.api.nvim_buf_is_valid(buf)) then
    return nil, t('no_session')
  end
  local mapping = {}
  for lnum, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if not (line:match('^%s*#') or line:match('^%s*$')) then
      local index, rest = line:match('^%s*(%d+)%s*|(.*)$')
      if not index then
        return nil, t('bad_mapping_line', lnum)
      end
      local cells = vim.split(rest, '|', true)
      local field_cell = vim.trim(cells[2] or '')
      local keep = false
      for _, word in ipairs({ 'keep', 'conservar', 'manter' }) do
        local stripped = field_cell:match('^(.-)%s+' .. word .. '$')
        if stripped then
          field_cell, keep = vim.trim(stripped), true
        end
      end
      if field_cell ~= '' and field_cell ~= '-' then
        local entry = { column = tonumber(index), field = resolve_field(field_cell) }
        if keep then
          entry.overwrite = false
        end
        table.insert(mapping, entry)
      end
    end
  end
  return mapping
end

function M.open()
  local csv_buf = vim.api.nvim_get_current_buf()
  if M.state.buffers.mapping == csv_buf or M.state.buffers.review == csv_buf then
    csv_buf = M.state.session and M.state.session.csv_buf or csv_buf
  end
  local lines = vim.api.nvim_buf_get_lines(csv_buf, 0, -1, false)
  local text = table.concat(lines, '\n') .. '\n'
  local name = vim.api.nvim_buf_get_name(csv_buf)
  local file_name = name ~= '' and vim.fn.fnamemodify(name, ':t') or 'buffer.csv'
  notify(t('opening', file_name))
  with_daemon(function()
    local previous = M.state.session
    if previous then
      request('import/close', { sessionId = previous.id }, function() end, function()
        return true
      end)
    end
    M.state.session = nil
    M.state.review = nil
    request('import/open', { text = text, fileName = file_name, workDoneToken = 'nvim-open' }, function(opened)
      M.state.session = {
        id = opened.sessionId,
        csv_buf = csv_buf,
        file = opened.file,
        columns = opened.columns or {},
        warnings = opened.warnings or {},
      }
      request('import/suggestMapping', { sessionId = opened.sessionId }, function(suggestion)
        M.state.session.identifier = not is_null(suggestion.identifier) and suggestion.identifier or nil
        render_mapping(opened, suggestion)
      end)
    end)
  end)
end

-- Review -------------------------------------------------------------------

-- The daemon's row messages already name the column ("Columna "Correo": …").
local function describe_errors(errors)
  local parts = {}
  for _, problem in ipairs(errors or {}) do
    table.insert(parts, tostring(problem.message))
  end
  return table.concat(parts, '; ')
end

local function render_review(lines, line_targets)
  local buf = scratch_buffer('review', 'contact-import://review')
  set_lines(buf, lines, false)
  M.state.review_lines = line_targets or {}
  vim.api.nvim_buf_set_keymap(buf, 'n', '<CR>', '', {
    noremap = true,
    silent = true,
    callback = function()
      M.jump_to_error()
    end,
  })
  show_buffer(buf, { below = 'mapping' })
end

local function review_summary_lines(review)
  local counts = review.counts or {}
  local lines = {
    t('review_title', M.state.session.file and M.state.session.file.name or '?', review.purpose,
      review.identifier or '-'),
    t('counts', counts.add or 0, counts.update or 0, counts.skip or 0, counts.error or 0, counts.total or 0),
  }
  if review.import_tag then
    table.insert(lines, t('import_tag', review.import_tag))
  else
    table.insert(lines, t('no_import_tag'))
  end
  for _, warning in ipairs(review.warnings or {}) do
    table.insert(lines, t('warning', tostring(warning.message)))
  end
  if review.error_file then
    table.insert(lines, t('error_file', review.error_file))
  end
  return lines
end

-- "from → to" lines of the update rows fetched with the review.
local function change_lines(row)
  local lines = {}
  for _, change in ipairs(row.changes or {}) do
    if change.field == 'tags' then
      table.insert(lines, t('change_tags', row.line, table.concat(change.added or {}, ','),
        table.concat(change.removed or {}, ',')))
    else
      local function shown(value)
        return is_null(value) and '∅' or cell(tostring(value), 30)
      end
      table.insert(lines, t('change_field', row.line, change.field, shown(change.from), shown(change.to)))
    end
  end
  if #lines == 0 then
    table.insert(lines, t('no_change', row.line))
  end
  return lines
end

local function show_review(review)
  local lines = review_summary_lines(review)
  local targets = {}
  if (review.counts.unchanged or 0) > 0 then
    table.insert(lines, t('unchanged_count', review.counts.unchanged, review.counts.update or 0))
  end
  if #review.update_rows > 0 then
    table.insert(lines, t('changes_title'))
    for n, row in ipairs(review.update_rows) do
      if n > 20 then
        break
      end
      for _, line in ipairs(change_lines(row)) do
        table.insert(lines, '  ' .. line)
        targets[#lines] = row.line
      end
    end
  end
  if #review.error_rows == 0 then
    table.insert(lines, t('no_errors'))
  else
    table.insert(lines, t('some_errors'))
    table.insert(lines, '')
    table.insert(lines, t('error_rows'))
    for _, row in ipairs(review.error_rows) do
      table.insert(lines, '  ' .. t('error_row', row.line, row.row, describe_errors(row.errors)))
      targets[#lines] = row.line
    end
  end
  render_review(lines, targets)
end

local function uri_to_path(uri)
  if type(uri) ~= 'string' then
    return nil
  end
  local path = uri:match('^file://(.*)$')
  if not path then
    return uri
  end
  return (path:gsub('%%(%x%x)', function(hex)
    return string.char(tonumber(hex, 16))
  end))
end
M.uri_to_path = uri_to_path

-- Every error row of the review, page by page, then `done()`.
local function fetch_error_rows(review, offset, done)
  request('import/rows', { sessionId = M.state.session.id, reviewId = review.id, action = 'error',
    offset = offset, limit = 1000 }, function(page)
    for _, row in ipairs(page.rows or {}) do
      table.insert(review.error_rows, row)
    end
    local fetched = offset + #(page.rows or {})
    if #(page.rows or {}) > 0 and fetched < (page.total or 0) then
      fetch_error_rows(review, fetched, done)
    else
      done()
    end
  end)
end

local function parse_review_args(args)
  local options = { tags = nil, country = M.config.default_country }
  for _, arg in ipairs(args) do
    local key, value = arg:match('^([%w]+)=(.*)$')
    if vim.tbl_contains(M.PURPOSES, arg) then
      options.purpose = arg
    elseif vim.tbl_contains(M.IDENTIFIERS, arg) then
      options.identifier = arg
    elseif key == 'country' then
      options.country = value
    elseif key == 'tags' then
      options.tags = vim.split(value, ',', true)
    elseif key == 'importTag' then
      options.import_tag = (value == 'false' and false) or (value == 'true' and true) or value
    else
      return nil, t('bad_argument', arg)
    end
  end
  if not options.purpose then
    return nil, t('mapping_usage')
  end
  return options
end

function M.review(args)
  local session = M.state.session
  if not session or not M.state.connection then
    return notify(t('no_session'), vim.log.levels.ERROR)
  end
  local options, failure = parse_review_args(args or {})
  if not options then
    return notify(failure, vim.log.levels.ERROR)
  end
  local mapping, mapping_failure = M.mapping_from_buffer()
  if not mapping then
    return notify(mapping_failure, vim.log.levels.ERROR)
  end
  local identifier = options.identifier
  if not identifier and options.purpose ~= 'addAll' then
    identifier = session.identifier
  end
  local params = { sessionId = session.id, purpose = options.purpose, mapping = mapping,
    workDoneToken = 'nvim-review' }
  params.identifier = identifier
  params.defaultCountry = options.country
  params.tags = options.tags
  params.importTag = options.import_tag
  M.state.review = nil
  request('import/review', params, function(result)
    local review = {
      id = result.reviewId,
      purpose = options.purpose,
      identifier = identifier,
      counts = result.counts or {},
      import_tag = not is_null(result.importTag) and result.importTag or nil,
      error_file = not is_null(result.errorFile) and uri_to_path(result.errorFile.uri) or nil,
      warnings = result.warnings or {},
      error_rows = {},
      update_rows = {},
    }
    local function finish()
      M.state.review = review
      show_review(review)
    end
    -- The first updates with their before → after, for the review buffer and :ContactImportDiff.
    local function with_updates()
      if (review.counts.update or 0) == 0 then
        return finish()
      end
      request('import/rows', { sessionId = M.state.session.id, reviewId = review.id, action = 'update', limit = 1000 },
        function(page)
          review.update_rows = page.rows or {}
          finish()
        end)
    end
    if (review.counts.error or 0) > 0 then
      fetch_error_rows(review, 0, with_updates)
    else
      with_updates()
    end
  end, function(err)
    if err.code ~= 1004 then
      return false
    end
    M.state.last_error = err
    local lines = { t('mapping_invalid') }
    local problems = type(err.data) == 'table' and err.data.problems or {}
    for _, problem in ipairs(problems) do
      table.insert(lines, '  - ' .. tostring(problem.message) .. ' (' .. tostring(problem.code) .. ')')
    end
    render_review(lines, {})
    notify(tostring(err.message), vim.log.levels.ERROR)
    return true
  end)
end

function M.jump_to_error()
  local line = M.state.review_lines[vim.api.nvim_win_get_cursor(0)[1]]
  local session = M.state.session
  if not line or not session or not vim.api.nvim_buf_is_valid(session.csv_buf) then
    return
  end
  local win = vim.fn.bufwinid(session.csv_buf)
  if win == -1 then
    vim.cmd('wincmd p')
    vim.api.nvim_win_set_buf(0, session.csv_buf)
    win = vim.api.nvim_get_current_win()
  end
  vim.api.nvim_set_current_win(win)
  local last = vim.api.nvim_buf_line_count(session.csv_buf)
  vim.api.nvim_win_set_cursor(win, { math.min(line, last), 0 })
end

-- Commit -------------------------------------------------------------------

local function confirm(question)
  if M.config.confirm then
    return M.config.confirm(question)
  end
  return vim.fn.confirm(question, t('confirm_choices'), 2) == 1
end

local function append_to_review(lines)
  local buf = M.state.buffers.review
  if not (buf and vim.api.nvim_buf_is_valid(buf)) then
    return
  end
  vim.api.nvim_buf_set_option(buf, 'modifiable', true)
  local single = {}
  for n, line in ipairs(lines) do
    single[n] = (tostring(line):gsub('\r\n', '⏎'):gsub('[\r\n]', '⏎'))
  end
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, single)
  vim.api.nvim_buf_set_option(buf, 'modifiable', false)
end

function M.commit(skip_confirmation)
  local session, review = M.state.session, M.state.review
  if not session or not M.state.connection then
    return notify(t('no_session'), vim.log.levels.ERROR)
  end
  if not review then
    return notify(t('review_required'), vim.log.levels.ERROR)
  end
  if M.state.commit_request then
    return notify(t('commit_running'), vim.log.levels.WARN)
  end
  local counts = review.counts
  local question = t('confirm_commit', session.file and session.file.name or '?', counts.add or 0,
    counts.update or 0, counts.error or 0)
  if not skip_confirmation and not confirm(question) then
    return notify(t('not_started'))
  end
  M.state.commit_request = request('import/commit',
    { sessionId = session.id, reviewId = review.id, workDoneToken = 'nvim-commit' }, function(result)
    M.state.commit_request = nil
    M.state.last_result = result
    local done = result.counts or {}
    local path = not is_null(result.resultFile) and uri_to_path(result.resultFile.uri) or nil
    local lines = {
      '',
      t('commit_done', i18n.state(result.state), done.imported or 0, done.updated or 0, done.skipped or 0,
        done.errors or 0),
    }
    if path then
      table.insert(lines, t('result_file', path))
    end
    append_to_review(lines)
    notify(table.concat(lines, '\n', 2))
    -- The session's plan is spent; a new import starts with :ContactImportOpen.
    M.state.review = nil
  end, function(err)
    M.state.commit_request = nil
    if err.code == -32800 then
      M.state.last_error = err
      append_to_review({ '', t('cancelled') })
      notify(t('cancelled'), vim.log.levels.WARN)
      return true
    end
    return false
  end)
end

function M.cancel()
  local id = M.state.commit_request
  if not id or not M.state.connection then
    return notify(t('nothing_to_cancel'))
  end
  M.state.connection:cancel(id)
end

-- History ------------------------------------------------------------------

-- "2026-11-29T17:53:45Z" → "2026-11-29 11:53" on the user's clock.
local function local_time(iso)
  local y, mo, d, h, mi, sec = tostring(iso):match('^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)')
  if not y then
    return tostring(iso)
  end
  local read_as_local = os.time({ year = tonumber(y), month = tonumber(mo), day = tonumber(d), hour = tonumber(h),
    min = tonumber(mi), sec = tonumber(sec), isdst = false })
  local now = os.time()
  local utc_offset = os.difftime(now, os.time(os.date('!*t', now)))
  return os.date('%Y-%m-%d %H:%M', read_as_local + utc_offset)
end

local function history_line(job)
  local counts = is_null(job.counts) and {} or job.counts
  local result_file = not is_null(job.resultFile) and not is_null(job.resultFile.uri) and job.resultFile or nil
  local file_text = '-'
  if result_file then
    file_text = uri_to_path(result_file.uri) or '-'
    if result_file.available == false then
      file_text = file_text .. ' ' .. t('expired_file')
    end
  end
  return string.format('%s | %s | %s | %s | %d %d %d %d | %s | %s', tostring(job.jobId), i18n.state(job.state),
    is_null(job.startedAt) and '-' or local_time(job.startedAt), tostring(is_null(job.fileName) and '-' or job.fileName),
    counts.imported or 0, counts.updated or 0, counts.skipped or 0, counts.errors or 0,
    tostring(is_null(job.importTag) and '-' or job.importTag), file_text)
end

function M.history()
  with_daemon(function()
    request('import/history', { limit = 50 }, function(result)
      local lines = { t('history_title'), t('history_columns') }
      local jobs = result.jobs or {}
      M.state.history_jobs = {}
      if #jobs == 0 then
        table.insert(lines, t('history_empty'))
      end
      for _, job in ipairs(jobs) do
        table.insert(lines, history_line(job))
        M.state.history_jobs[#lines] = job
      end
      local buf = scratch_buffer('history', 'contact-import://history')
      set_lines(buf, lines, false)
      -- `u` on a job's line undoes it.
      vim.api.nvim_buf_set_keymap(buf, 'n', 'u', '', {
        noremap = true,
        silent = true,
        callback = function()
          local job = M.state.history_jobs[vim.api.nvim_win_get_cursor(0)[1]]
          if job then
            M.undo(job.jobId)
          end
        end,
      })
      show_buffer(buf, { below = 'review' })
    end)
  end)
end

-- The changes the last review found for the CSV line under the cursor.
function M.diff(line)
  local review = M.state.review
  line = line or vim.api.nvim_win_get_cursor(0)[1]
  for _, row in ipairs(review and review.update_rows or {}) do
    if row.line == line then
      local lines = change_lines(row)
      notify(table.concat(lines, '\n'))
      return lines
    end
  end
  notify(t('diff_none', line), vim.log.levels.WARN)
  return nil
end

-- Undoes import `job_id`, or the newest completed import, after a confirmation.
function M.undo(job_id, skip_confirmation)
  with_daemon(function()
    request('import/history', { limit = 50 }, function(result)
      local target
      for _, job in ipairs(result.jobs or {}) do
        if (job_id and job.jobId == job_id) or (not job_id and job.state == 'completed' and is_null(job.undoes or vim.NIL)) then
          target = job
          break
        end
      end
      if not target then
        return notify(t('undo_none'), vim.log.levels.WARN)
      end
      if not skip_confirmation and not confirm(t('undo_confirm', target.jobId, tostring(target.fileName))) then
        return
      end
      request('import/undo', { jobId = target.jobId, workDoneToken = 'nvim-undo' }, function(undone)
        local counts = undone.counts or {}
        M.state.last_undo = undone
        notify(t('undo_done', target.jobId, counts.removed or 0, counts.restored or 0, counts.conflicts or 0))
        M.history()
      end)
    end)
  end)
end

-- Lifecycle ----------------------------------------------------------------

-- Waits until no request is outstanding (for scripts and tests).
function M.wait(timeout)
  return vim.wait(timeout or 10000, function()
    return M.state.busy == 0
  end, 10)
end

function M.stop()
  local connection = M.state.connection
  if not connection then
    return nil
  end
  M.state.stopping = true
  local code = connection:stop(3000)
  M.state.connection = nil
  return code
end

function M.setup(options)
  M.config = vim.tbl_extend('force', M.config, options or {})
  i18n.locale = i18n.locale_from(M.config.locale or vim.g.contact_import_locale or os.getenv('LC_ALL')
    or os.getenv('LC_MESSAGES') or os.getenv('LANG'))
end

function M.complete_review(arg_lead)
  local candidates = vim.list_extend(vim.deepcopy(M.PURPOSES), M.IDENTIFIERS)
  vim.list_extend(candidates, { 'country=', 'tags=', 'importTag=' })
  return vim.tbl_filter(function(candidate)
    return candidate:sub(1, #arg_lead) == arg_lead
  end, candidates)
end

M.setup()

return M
