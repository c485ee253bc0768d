-- JSON-RPC over a job's stdin/stdout with LSP framing (Content-Length headers).
-- Neovim 0.7's job API hands stdout over as lists of lines split at "\n", so the
-- bytes are glued back together before the frames are cut out of them.

local M = {}

local Connection = {}
Connection.__index = Connection

local function is_null(value)
  return value == nil or value == vim.NIL
end
M.is_null = is_null

-- Starts `cmd` (a list) and returns a connection. `handlers`:
--   on_notification(method, params), on_exit(code, stderr_tail), on_stderr(line)
function M.start(cmd, handlers)
  local self = setmetatable({
    pending = {},
    next_id = 1,
    buffer = '',
    stderr = {},
    handlers = handlers or {},
    exited = false,
    exit_code = nil,
  }, Connection)
  local ok, job = pcall(vim.fn.jobstart, cmd, {
    on_stdout = function(_, data)
      self:_receive(data)
    end,
    on_stderr = function(_, data)
      self:_stderr(data)
    end,
    on_exit = function(_, code)
      self:_exited(code)
    end,
  })
  if not ok or job <= 0 then
    return nil, string.format('cannot start %s (%s)', tostring(cmd[1]), ok and tostring(job) or tostring(job))
  end
  self.job = job
  return self
end

function Connection:_receive(data)
  -- `data` is the chunk split at newlines; joining with "\n" restores it.
  self.buffer = self.buffer .. table.concat(data, '\n')
  while true do
    local header_end = self.buffer:find('\r\n\r\n', 1, true)
    if not header_end then
      return
    end
    local header = self.buffer:sub(1, header_end - 1)
    local length = tonumber(header:match('[Cc]ontent%-[Ll]ength:%s*(%d+)'))
    if not length then
      -- Not a header we understand: drop it and resynchronise on the next one.
      self.buffer = self.buffer:sub(header_end + 4)
    else
      local body_start = header_end + 4
      if #self.buffer < body_start + length - 1 then
        return
      end
      local body = self.buffer:sub(body_start, body_start + length - 1)
      self.buffer = self.buffer:sub(body_start + length)
      local ok, message = pcall(vim.json.decode, body)
      if ok and type(message) == 'table' then
        self:_dispatch(message)
      end
    end
  end
end

function Connection:_dispatch(message)
  if not is_null(message.method) then
    if not is_null(message.id) then
      -- The protocol has no server-to-client requests; never leave one hanging.
      self:_send({ jsonrpc = '2.0', id = message.id, error = { code = -32601, message = 'not handled by the client' } })
    elseif self.handlers.on_notification then
      self.handlers.on_notification(message.method, message.params)
    end
    return
  end
  local callback = self.pending[message.id]
  if not callback then
    return
  end
  self.pending[message.id] = nil
  if not is_null(message.error) then
    callback(message.error, nil)
  else
    callback(nil, message.result)
  end
end

function Connection:_stderr(data)
  for _, line in ipairs(data) do
    if line ~= '' then
      table.insert(self.stderr, line)
      if #self.stderr > 50 then
        table.remove(self.stderr, 1)
      end
      if self.handlers.on_stderr then
        self.handlers.on_stderr(line)
      end
    end
  end
end

function Connection:_exited(code)
  self.exited = true
  self.exit_code = code
  local pending = self.pending
  self.pending = {}
  local tail = table.concat(self.stderr, '\n')
  for _, callback in pairs(pending) do
    callback({ code = -32099, message = 'contact-importd exited (code ' .. tostring(code) .. ')\n' .. tail }, nil)
  end
  if self.handlers.on_exit then
    self.handlers.on_exit(code, tail)
  end
end

function Connection:_send(message)
  if self.exited then
    return false
  end
  local body = vim.json.encode(message)
  local ok = pcall(vim.fn.chansend, self.job, 'Content-Length: ' .. #body .. '\r\n\r\n' .. body)
  return ok
end

-- Sends a request; `callback(err, result)` runs when the response arrives
-- (`err` is the JSON-RPC error object). Returns the request id.
function Connection:request(method, params, callback)
  local id = self.next_id
  self.next_id = id + 1
  self.pending[id] = callback
  local message = { jsonrpc = '2.0', id = id, method = method }
  if params ~= nil then
    message.params = params
  end
  if not self:_send(message) then
    self.pending[id] = nil
    callback({ code = -32099, message = 'contact-importd is not running' }, nil)
  end
  return id
end

function Connection:notify(method, params)
  local message = { jsonrpc = '2.0', method = method }
  if params ~= nil then
    message.params = params
  end
  return self:_send(message)
end

function Connection:cancel(id)
  return self:notify('$/cancelRequest', { id = id })
end

-- Blocks (while processing events) until the response arrives or `timeout` ms pass.
function Connection:request_sync(method, params, timeout)
  local done, err, result = false, nil, nil
  self:request(method, params, function(e, r)
    done, err, result = true, e, r
  end)
  if not vim.wait(timeout or 5000, function()
    return done
  end, 10) then
    return { code = -32099, message = method .. ': no response' }, nil
  end
  return err, result
end

-- shutdown + exit, then stops the job if it has not gone within `timeout` ms.
function Connection:stop(timeout)
  timeout = timeout or 3000
  if self.exited then
    return self.exit_code
  end
  self:request_sync('shutdown', nil, timeout)
  self:notify('exit', nil)
  pcall(vim.fn.chanclose, self.job, 'stdin')
  if not vim.wait(timeout, function()
    return self.exited
  end, 10) then
    pcall(vim.fn.jobstop, self.job)
    vim.wait(1000, function()
      return self.exited
    end, 10)
  end
  return self.exit_code
end

return M
