-- Commands of the contact-import plugin; the work is in lua/contact_import/.
if vim.g.loaded_contact_import then
  return
end
vim.g.loaded_contact_import = true

local function plugin()
  return require('contact_import')
end

vim.api.nvim_create_user_command('ContactImportOpen', function()
  plugin().open()
end, { desc = 'Open the current CSV buffer for import and show the suggested mapping' })

vim.api.nvim_create_user_command('ContactImportReview', function(command)
  plugin().review(command.fargs)
end, {
  nargs = '+',
  complete = function(arg_lead)
    return plugin().complete_review(arg_lead)
  end,
  desc = 'Review the import: {purpose} [{identifier}] [country=XX] [tags=a,b] [importTag=name|false]',
})

vim.api.nvim_create_user_command('ContactImportCommit', function(command)
  plugin().commit(command.bang)
end, { bang = true, desc = 'Import the reviewed rows (! skips the confirmation)' })

vim.api.nvim_create_user_command('ContactImportCancel', function()
  plugin().cancel()
end, { desc = 'Cancel the running import (nothing is changed)' })

vim.api.nvim_create_user_command('ContactImportHistory', function()
  plugin().history()
end, { desc = 'List past imports' })

vim.api.nvim_create_user_command('ContactImportDiff', function()
  plugin().diff()
end, { desc = 'Show what the last review would change on the contact of the CSV line under the cursor' })

vim.api.nvim_create_user_command('ContactImportUndo', function(command)
  plugin().undo(tonumber(command.args), command.bang)
end, { nargs = '?', bang = true, desc = 'Undo an import (default: the newest completed one; ! skips the confirmation)' })

vim.api.nvim_create_autocmd('VimLeavePre', {
  callback = function()
    if package.loaded['contact_import'] then
      plugin().stop()
    end
  end,
})
