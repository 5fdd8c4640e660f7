Attribute VB_Name = "pygk"
Option Explicit

' The ribbon's only callback: every button of the pygk tab calls it with its tag.
' All logic is in Python (pygk/excel.py); this module only makes sure Python is
' configured before handing the tag over through xlwings' RunPython.
' Keep this file ASCII: clerk-facing texts come from the pygkText module, which
' tools/build_xlsm.py generates from pygk/texts.py.

Public Sub OnAction(control As IRibbonControl)
    Dim interpreter As String
    #If Mac Then
        interpreter = GetConfig("INTERPRETER_MAC", "")
    #Else
        interpreter = GetConfig("INTERPRETER_WIN", "")
    #End If
    If interpreter = "" Then
        MsgBox pygkText.NoPython(), vbExclamation, pygkText.Title()
        Exit Sub
    End If
    If Not FileExists(interpreter) Then
        MsgBox pygkText.NoPython(), vbExclamation, pygkText.Title()
        Exit Sub
    End If
    RunPython pygkText.Command(control.Tag)
End Sub
