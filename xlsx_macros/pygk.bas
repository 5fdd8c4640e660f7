Attribute VB_Name = "pygk"
Option Explicit

' The ribbon's only callback: every button of the pygk tab calls it with its tag.
' All logic is in Python. With xlwings set up (Excel, its interpreter configured and its
' DLL beside it), the tag goes to pygk/excel.py through RunPython. Otherwise - no xlwings
' configuration, or WPS, where xlwings cannot run - the clerk's kit's Python runs the
' command line on the saved file (pygk/kit.py): a button that only reads waits for it and
' shows its words; a button that writes first checks the data (waiting), then hands over
' to a process that waits for this workbook to close, writes, reopens it and shows the
' result (Excel and WPS lock an open workbook's file, and this code stops when it closes).
' Keep this file ASCII: clerk-facing texts come from the pygkText module, which
' tools/build_xlsm.py generates from pygk/core/texts.py.

Public Sub OnAction(control As IRibbonControl)
    If XlwingsReady() Then
        RunPython pygkText.Command(control.Tag)
    Else
        RunWithoutXlwings control.Tag
    End If
End Sub

Private Function IsWps() As Boolean
    IsWps = InStr(1, Application.Name, "WPS", vbTextCompare) > 0 _
        Or InStr(1, Application.Path, "Kingsoft", vbTextCompare) > 0 _
        Or InStr(1, Application.Path, "WPS", vbTextCompare) > 0
End Function

Private Function XlwingsReady() As Boolean
    Dim interpreter As String
    If IsWps() Then Exit Function
    On Error GoTo NotReady
    #If Mac Then
        interpreter = GetConfig("INTERPRETER_MAC", "")
    #Else
        interpreter = GetConfig("INTERPRETER_WIN", "")
    #End If
    If interpreter = "" Then Exit Function
    If Not FileExists(interpreter) Then Exit Function
    #If Not Mac Then
        If Dir(ParentFolder(interpreter) & "\xlwings*.dll") = "" _
            And Dir(ParentFolder(ParentFolder(interpreter)) & "\xlwings*.dll") = "" Then Exit Function
    #End If
    XlwingsReady = True
NotReady:
End Function

Private Function Quoted(text As String) As String
    Quoted = """" & text & """"
End Function

Private Function KitPython(windowless As Boolean) As String
    Dim folder As String, name As String
    folder = Environ("LOCALAPPDATA") & "\pygk\python\"
    If windowless Then name = "pythonw.exe" Else name = "python.exe"
    If Environ("LOCALAPPDATA") <> "" And Dir(folder & name) <> "" Then KitPython = folder & name
End Function

Private Function ReadUtf8(path As String) As String
    Dim stream As Object
    Set stream = CreateObject("ADODB.Stream")
    stream.Type = 2
    stream.Charset = "utf-8"
    stream.Open
    stream.LoadFromFile path
    ReadUtf8 = stream.ReadText
    stream.Close
End Function

' pygk's command line for a button; "" when the clerk cancelled (the file dialog of import).
Private Function Arguments(tag As String, book As String, writes As Boolean) As String
    Dim old As Variant
    writes = False
    Select Case tag
        Case "about"
            Arguments = "--version"
        Case "check"
            Arguments = "check " & Quoted(book)
        Case "docx"
            Arguments = "bulletin " & Quoted(book)
        Case "notices"
            Arguments = "notices " & Quoted(book)
        Case "pdf"
            Arguments = "pdf " & Quoted(book)
        Case "import"
            old = Application.GetOpenFilename("Excel (*.xlsx;*.xlsm),*.xlsx;*.xlsm")
            If VarType(old) = vbBoolean Then Exit Function
            Arguments = "history add " & Quoted(CStr(old)) & " --into " & Quoted(book)
            writes = True
        Case Else
            Arguments = "run " & Quoted(book)
            writes = True
    End Select
End Function

' Run `pygk ARGS` with the kit's Python, waiting; returns its exit status and its words in answer.
' The answer file gets a name no file has yet: pygk.kit capture never replaces a file (it refuses, exit 2).
Private Function RunWaiting(python As String, args As String, answer As String) As Long
    Dim result As String, stem As String, number As Long
    stem = Environ("TEMP") & "\pygk-answer-" & Format(Now, "yyyymmddhhnnss")
    result = stem & ".txt"
    Do While Dir(result) <> ""
        number = number + 1
        result = stem & "-" & number & ".txt"
    Loop
    Application.StatusBar = pygkText.Running()
    RunWaiting = CreateObject("WScript.Shell").Run(Quoted(python) & " -m pygk.kit capture " & Quoted(result) _
        & " " & args, 0, True)
    Application.StatusBar = False
    answer = ""
    If Dir(result) <> "" Then
        answer = ReadUtf8(result)
        Kill result
    End If
End Function

Private Sub RunWithoutXlwings(tag As String)
    Dim python As String, book As String, args As String, answer As String
    Dim writes As Boolean, status As Long
    #If Mac Then
        MsgBox pygkText.NoPython(), vbExclamation, pygkText.Title()
        Exit Sub
    #End If
    python = KitPython(False)
    If python = "" Then
        MsgBox pygkText.NoKit(), vbExclamation, pygkText.Title()
        Exit Sub
    End If
    If ThisWorkbook.Path = "" Then
        MsgBox pygkText.SaveFirst(), vbExclamation, pygkText.Title()
        Exit Sub
    End If
    ThisWorkbook.Save
    book = ThisWorkbook.FullName
    args = Arguments(tag, book, writes)
    If args = "" Then Exit Sub
    If Not writes Then
        status = RunWaiting(python, args, answer)
        If answer = "" Then answer = Replace(pygkText.NoAnswer(), "{status}", CStr(status))
        If status = 0 Then
            MsgBox answer, vbInformation, pygkText.Title()
        Else
            MsgBox answer, vbExclamation, pygkText.Title()
        End If
        Exit Sub
    End If
    status = RunWaiting(python, "check " & Quoted(book), answer)
    If status <> 0 Then
        If answer = "" Then answer = Replace(pygkText.NoAnswer(), "{status}", CStr(status))
        MsgBox answer, vbExclamation, pygkText.Title()
        Exit Sub
    End If
    MsgBox pygkText.HandOff(), vbInformation, pygkText.Title()
    CreateObject("WScript.Shell").Run Quoted(KitPython(True)) & " -m pygk.kit after-close " & Quoted(book) _
        & " " & args, 0, False
    ThisWorkbook.Close SaveChanges:=False
End Sub
