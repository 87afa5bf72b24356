import streamlit as st
from components.frame import page_context, data_errors
ctx = page_context()
with data_errors():
    frames = ctx.frames()
ctx.stop_if_empty(frames)
st.metric("Projects", len(frames.projects))
st.write(ctx.scope.label)
