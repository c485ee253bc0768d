import Localization

extension CLIText {
    /// `contact-import --help` (also `-h` and `contact-import help`).
    static let usage = LocalizedText(
        en: """
            Usage: contact-import FILE.csv [options]
                   contact-import FILE.csv --dry-run [options]
                   contact-import --history [--workspace DIR]
                   contact-import undo JOB_ID [--workspace DIR]
                   contact-import fields list [--workspace DIR]
                   contact-import fields create NAME TYPE [--options a,b] [--workspace DIR]
                   contact-import help

            Imports the contacts of a CSV file into a workspace through contact-importd: reads the
            file, shows the suggested mapping of its columns to contact fields, reviews every row
            (how many contacts will be added, updated or skipped, and which rows have errors, listed
            in an error file), asks for confirmation, imports, and prints the path of the result
            file (the file with an Import Status column, kept 7 days).

            What to do with each row:
              --purpose P            one of:
                                       addAndUpdate    (the default) update the contacts that exist,
                                                       add the others
                                       addNew          add the contacts that don't exist yet; the
                                                       existing ones are skipped, never changed
                                       updateExisting  update the contacts that exist; add none
                                       addAll          add every row as a new contact, even duplicates
              --identifier I         how a row finds its existing contact: phone | email | contactId
                                     (contactId with updateExisting only; default: the phone or e-mail
                                     column the mapping suggests; addAll needs none)
              --default-country CC   country of phone numbers written without a country code, e.g. MX
                                     (a code or a name; a row's own Country column comes first)

            Mapping:
              --map "Header=field"   map a column to a field, by key, label or synonym, in English,
                                     Spanish or Portuguese, case and accents aside ("Móvil=phone",
                                     "movil=numero de telefono", "Correo=e-mail"); "Header=-" skips
                                     the column (repeatable)
              --keep FIELD           "don't overwrite": keep FIELD's stored value and only fill it when
                                     empty; for tags, add to them instead of replacing them
                                     (repeatable; "all" for every column)
                                     Field keys: firstName, lastName, phone, email, language,
                                     countryCode, tags, contactId, and custom fields by name.

            Tags:
              --tags a,b             tags added to every added or updated contact (repeatable)
              --import-tag NAME      the tag naming this import (default: import-YYYYMMDD-HHMMSS)
              --no-import-tag        no import tag

            Running:
              --dry-run, -n          review only: print the counts and the error file, import nothing
                                     (exit code 0, or 3 with --fail-on-errors and rows with errors)
              --history              list the workspace's last 20 imports (file, when, state, counts,
                                     tag) instead of importing
              --yes, -y              import without asking
              --fail-on-errors       import nothing if any row has errors (exit code 3)
              --workspace DIR        the workspace (default: $XDG_DATA_HOME/contact-importer/default,
                                     else ~/.local/share/contact-importer/default); a folder that does
                                     not exist is created (and said so), one that exists must be a
                                     workspace; or a PostgreSQL database: a postgresql:// URI or a
                                     "host=… dbname=…" conninfo (default: $CONTACT_IMPORT_WORKSPACE)
              --files-dir DIR        with a PostgreSQL workspace, where this machine keeps its copies
                                     of the result files (default: under the data home)
              --locale en|es|pt      language of the messages and of the columns added to the error and
                                     result files (default: from $LC_ALL, $LC_MESSAGES or $LANG)
              --daemon PATH          the contact-importd to run (default: $CONTACT_IMPORTD, the one next
                                     to this program, or the one on PATH)
              --help, -h             this help
              --version              the version

            Custom fields:
              fields list            the workspace's fields: key, label, type
              fields create NAME TYPE
                                     a custom field, so a column such as "Company" can be mapped to
                                     it; TYPE is text, number, date, list, checkbox, email, phone or
                                     url (a list takes --options a,b,c)

            When a contact is updated, a value in the file replaces the stored one and an empty cell
            clears it, unless --keep says otherwise. Rows with errors are never imported: correct
            them and import them again. Importing the same file twice with addAndUpdate updates the
            contacts of the first time (with --purpose addNew they are skipped instead).

            Ctrl-C while importing cancels the import: contact-importd rolls it back, nothing is
            changed and --history says "cancelled" (exit code 1). Press Ctrl-C again to quit
            without waiting. Before the import starts, Ctrl-C simply stops. SIGTERM (kill,
            timeout) does the same as Ctrl-C.

            Exit codes: 0 done (or nothing to import), 1 failed, cancelled or not confirmed,
            2 bad usage, 3 rows with errors with --fail-on-errors (nothing was imported).

            Examples:
              contact-import protocol/examples/contactos-ejemplo.csv --default-country MX
              contact-import clientes.csv --dry-run
              contact-import clientes.csv --purpose addNew --tags feria-2026 --yes
              contact-import cambios.csv --purpose updateExisting --identifier email --keep tags
              contact-import lista.csv --map "Móvil=phone" --map "Notas=-" --fail-on-errors --yes
              contact-import fields create Empresa text
            """,
        es: """
            Uso: contact-import ARCHIVO.csv [opciones]
                 contact-import ARCHIVO.csv --dry-run [opciones]
                 contact-import --history [--workspace DIR]
                 contact-import undo JOB_ID [--workspace DIR]
                 contact-import fields list [--workspace DIR]
                 contact-import fields create NOMBRE TIPO [--options a,b] [--workspace DIR]
                 contact-import help

            Importa los contactos de un archivo CSV a un espacio de trabajo mediante contact-importd:
            lee el archivo, muestra la asignación sugerida de sus columnas a campos de contacto,
            revisa cada fila (cuántos contactos se agregarán, actualizarán u omitirán, y qué filas
            tienen errores, listadas en un archivo de errores), pide confirmación, importa y muestra
            la ruta del archivo de resultados (el archivo con una columna Estado de la importación,
            disponible 7 días).

            Qué hacer con cada fila:
              --purpose P            uno de:
                                       addAndUpdate    (el predeterminado) actualiza los contactos que
                                                       existen y agrega los demás
                                       addNew          agrega los contactos que aún no existen; los
                                                       existentes se omiten, nunca se cambian
                                       updateExisting  actualiza los contactos que existen; no agrega
                                       addAll          agrega cada fila como contacto nuevo, aunque
                                                       esté duplicada
              --identifier I         cómo una fila encuentra su contacto: phone | email | contactId
                                     (contactId solo con updateExisting; predeterminado: la columna de
                                     teléfono o correo que sugiere la asignación; addAll no lo usa)
              --default-country CC   país de los teléfonos escritos sin código de país, p. ej. MX
                                     (un código o un nombre; la columna País de la fila tiene prioridad)

            Asignación:
              --map "Encabezado=campo"
                                     asigna una columna a un campo, por clave, nombre o sinónimo, en
                                     inglés, español o portugués, sin importar mayúsculas ni acentos
                                     ("Móvil=phone", "movil=numero de telefono", "Correo=e-mail");
                                     "Encabezado=-" omite la columna (se puede repetir)
              --keep CAMPO           "no sobrescribir": conserva el valor guardado de CAMPO y solo lo
                                     completa si está vacío; en las etiquetas, agrega en lugar de
                                     reemplazar (se puede repetir; "all" para todas las columnas)
                                     Claves de campo: firstName, lastName, phone, email, language,
                                     countryCode, tags, contactId y los campos personalizados por nombre.

            Etiquetas:
              --tags a,b             etiquetas para cada contacto agregado o actualizado (se puede repetir)
              --import-tag NOMBRE    la etiqueta de esta importación (predeterminada: import-AAAAMMDD-HHMMSS)
              --no-import-tag        sin etiqueta de importación

            Ejecución:
              --dry-run, -n          solo revisar: muestra las cantidades y el archivo de errores, no
                                     importa nada (código de salida 0, o 3 con --fail-on-errors si hay
                                     filas con errores)
              --history              mostrar las últimas 20 importaciones del espacio de trabajo
                                     (archivo, fecha, estado, cantidades, etiqueta) en lugar de importar
              --yes, -y              importar sin preguntar
              --fail-on-errors       no importar nada si alguna fila tiene errores (código de salida 3)
              --workspace DIR        el espacio de trabajo (predeterminado:
                                     $XDG_DATA_HOME/contact-importer/default, si no
                                     ~/.local/share/contact-importer/default); una carpeta que no
                                     existe se crea (y se avisa), una que existe debe ser un espacio
                                     de trabajo; o una base de datos PostgreSQL: una URI postgresql://
                                     o una cadena "host=… dbname=…" (predeterminado:
                                     $CONTACT_IMPORT_WORKSPACE)
              --files-dir DIR        con un espacio de trabajo PostgreSQL, dónde guarda esta máquina
                                     sus copias de los archivos de resultados
              --locale en|es|pt      idioma de los mensajes y de las columnas que se añaden a los
                                     archivos de errores y de resultados (predeterminado: según
                                     $LC_ALL, $LC_MESSAGES o $LANG)
              --daemon RUTA          el contact-importd a ejecutar (predeterminado: $CONTACT_IMPORTD, el
                                     que está junto a este programa o el del PATH)
              --help, -h             esta ayuda
              --version              la versión

            Campos personalizados:
              fields list            los campos del espacio de trabajo: clave, nombre, tipo
              fields create NOMBRE TIPO
                                     un campo personalizado, para poder asignarle una columna como
                                     "Empresa"; TIPO es text, number, date, list, checkbox, email,
                                     phone o url (una lista lleva --options a,b,c)

            Al actualizar un contacto, un valor del archivo reemplaza el guardado y una celda vacía lo
            borra, salvo que --keep diga otra cosa. Las filas con errores nunca se importan:
            corríjalas e impórtelas de nuevo. Importar dos veces el mismo archivo con addAndUpdate
            actualiza los contactos de la primera vez (con --purpose addNew se omiten).

            Ctrl-C durante la importación la cancela: contact-importd la deshace, no se cambia nada y
            --history dice "cancelada" (código de salida 1). Pulse Ctrl-C otra vez para salir sin
            esperar. Antes de que empiece la importación, Ctrl-C simplemente detiene el programa.
            SIGTERM (kill, timeout) hace lo mismo que Ctrl-C.

            Códigos de salida: 0 hecho (o nada que importar), 1 fallo, cancelación o sin confirmar,
            2 uso incorrecto, 3 filas con errores con --fail-on-errors (no se importó nada).

            Ejemplos:
              contact-import protocol/examples/contactos-ejemplo.csv --default-country MX
              contact-import clientes.csv --dry-run
              contact-import clientes.csv --purpose addNew --tags feria-2026 --yes
              contact-import cambios.csv --purpose updateExisting --identifier email --keep tags
              contact-import lista.csv --map "Móvil=phone" --map "Notas=-" --fail-on-errors --yes
              contact-import fields create Empresa text
            """,
        pt: """
            Uso: contact-import ARQUIVO.csv [opções]
                 contact-import ARQUIVO.csv --dry-run [opções]
                 contact-import --history [--workspace DIR]
                 contact-import undo JOB_ID [--workspace DIR]
                 contact-import fields list [--workspace DIR]
                 contact-import fields create NOME TIPO [--options a,b] [--workspace DIR]
                 contact-import help

            Importa os contatos de um arquivo CSV para um espaço de trabalho por meio do
            contact-importd: lê o arquivo, mostra o mapeamento sugerido das colunas para campos de
            contato, revisa cada linha (quantos contatos serão adicionados, atualizados ou ignorados,
            e quais linhas têm erros, listadas em um arquivo de erros), pede confirmação, importa e
            mostra o caminho do arquivo de resultados (o arquivo com uma coluna Status da importação,
            disponível por 7 dias).

            O que fazer com cada linha:
              --purpose P            um de:
                                       addAndUpdate    (o padrão) atualiza os contatos que existem
                                                       e adiciona os demais
                                       addNew          adiciona os contatos que ainda não existem; os
                                                       existentes são ignorados, nunca alterados
                                       updateExisting  atualiza os contatos que existem; não adiciona
                                       addAll          adiciona cada linha como contato novo, mesmo
                                                       duplicada
              --identifier I         como uma linha encontra seu contato: phone | email | contactId
                                     (contactId só com updateExisting; padrão: a coluna de telefone
                                     ou e-mail que o mapeamento sugere; addAll não usa)
              --default-country CC   país dos telefones escritos sem código do país, por ex. BR
                                     (um código ou um nome; a coluna País da linha tem prioridade)

            Mapeamento:
              --map "Cabeçalho=campo"
                                     mapeia uma coluna para um campo, por chave, nome ou sinônimo, em
                                     inglês, espanhol ou português, sem diferenciar maiúsculas nem
                                     acentos ("Celular=phone", "telefone=numero de telefone",
                                     "Correio=e-mail"); "Cabeçalho=-" ignora a coluna (pode repetir)
              --keep CAMPO           "não sobrescrever": mantém o valor salvo de CAMPO e só o preenche
                                     se estiver vazio; nas etiquetas, adiciona em vez de substituir
                                     (pode repetir; "all" para todas as colunas)
                                     Chaves de campo: firstName, lastName, phone, email, language,
                                     countryCode, tags, contactId e os campos personalizados pelo nome.

            Etiquetas:
              --tags a,b             etiquetas para cada contato adicionado ou atualizado (pode repetir)
              --import-tag NOME      a etiqueta desta importação (padrão: import-AAAAMMDD-HHMMSS)
              --no-import-tag        sem etiqueta de importação

            Execução:
              --dry-run, -n          só revisar: mostra as quantidades e o arquivo de erros, não
                                     importa nada (código de saída 0, ou 3 com --fail-on-errors se
                                     houver linhas com erros)
              --history              mostra as últimas 20 importações do espaço de trabalho (arquivo,
                                     data, estado, quantidades, etiqueta) em vez de importar
              --yes, -y              importa sem perguntar
              --fail-on-errors       não importa nada se alguma linha tiver erros (código de saída 3)
              --workspace DIR        o espaço de trabalho (padrão:
                                     $XDG_DATA_HOME/contact-importer/default, senão
                                     ~/.local/share/contact-importer/default); uma pasta que não existe
                                     é criada (e isso é avisado), uma que existe precisa ser um espaço
                                     de trabalho; ou um banco PostgreSQL: uma URI postgresql:// ou uma
                                     cadeia "host=… dbname=…" (padrão: $CONTACT_IMPORT_WORKSPACE)
              --files-dir DIR        com um espaço de trabalho PostgreSQL, onde esta máquina guarda
                                     suas cópias dos arquivos de resultado
              --locale en|es|pt      idioma das mensagens e das colunas acrescentadas aos arquivos de
                                     erros e de resultados (padrão: conforme $LC_ALL, $LC_MESSAGES ou
                                     $LANG)
              --daemon CAMINHO       o contact-importd a executar (padrão: $CONTACT_IMPORTD, o que está
                                     ao lado deste programa ou o do PATH)
              --help, -h             esta ajuda
              --version              a versão

            Campos personalizados:
              fields list            os campos do espaço de trabalho: chave, nome, tipo
              fields create NOME TIPO
                                     um campo personalizado, para poder mapear para ele uma coluna
                                     como "Empresa"; TIPO é text, number, date, list, checkbox, email,
                                     phone ou url (uma lista leva --options a,b,c)

            Ao atualizar um contato, um valor do arquivo substitui o salvo e uma célula vazia o apaga,
            a menos que --keep diga outra coisa. Linhas com erros nunca são importadas: corrija-as e
            importe-as de novo. Importar duas vezes o mesmo arquivo com addAndUpdate atualiza os
            contatos da primeira vez (com --purpose addNew eles são ignorados).

            Ctrl-C durante a importação a cancela: o contact-importd a desfaz, nada é alterado e
            --history diz "cancelada" (código de saída 1). Pressione Ctrl-C de novo para sair sem
            esperar. Antes de a importação começar, Ctrl-C simplesmente para o programa. SIGTERM
            (kill, timeout) faz o mesmo que Ctrl-C.

            Códigos de saída: 0 concluído (ou nada a importar), 1 falha, cancelamento ou sem
            confirmação, 2 uso incorreto, 3 linhas com erros com --fail-on-errors (nada foi importado).

            Exemplos:
              contact-import protocol/examples/contactos-ejemplo.csv --default-country MX
              contact-import clientes.csv --dry-run
              contact-import clientes.csv --purpose addNew --tags feria-2026 --yes
              contact-import cambios.csv --purpose updateExisting --identifier email --keep tags
              contact-import lista.csv --map "Móvil=phone" --map "Notas=-" --fail-on-errors --yes
              contact-import fields create Empresa text
            """
    )
}
